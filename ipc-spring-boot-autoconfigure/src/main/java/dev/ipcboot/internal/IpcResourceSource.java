package dev.ipcboot.internal;

import java.util.Collection;

/**
 * Supplies the live resources of one facility; each facility registers one bean of this
 * type so that resources created from named configuration maps (and ad-hoc ones, such as
 * processes started at run time) show up in health and in the {@code ipc} endpoint
 * without a bean of their own.
 */
@FunctionalInterface
public interface IpcResourceSource {

	/**
	 * The resources this facility currently has; called on every health check, so return
	 * a snapshot without copying more than needed.
	 * @return the resources, possibly empty
	 */
	Collection<? extends IpcResource> resources();

}
