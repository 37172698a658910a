package dev.ipcboot.listener;

import java.util.Collection;

/**
 * Supplies the channels of one facility; each facility registers one bean of this type so
 * that channels created from named configuration maps need no bean of their own.
 */
@FunctionalInterface
public interface IpcChannelSource {

	/**
	 * The channels this facility defines.
	 * @return the channels, possibly empty
	 */
	Collection<? extends IpcChannel> channels();

}
