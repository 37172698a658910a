package dev.ipcboot.socket.internal;

import org.jspecify.annotations.Nullable;

import dev.ipcboot.IpcConfigurationException;
import dev.ipcboot.listener.IpcChannel;
import dev.ipcboot.listener.IpcMessageListener;

/**
 * The rule every server of the socket facility (local, TCP, UDP, shared memory) keeps for
 * its listener: a server replies, so exactly one {@code @IpcListener} method listens to
 * it.
 */
public final class ServerListeners {

	private ServerListeners() {
	}

	/**
	 * The listener a server keeps when one is added.
	 * @param server the server
	 * @param existing its listener so far, or {@code null}
	 * @param added the listener being added
	 * @return {@code added}
	 * @throws IpcConfigurationException naming the server's property and both listeners
	 * if it already has one
	 */
	public static IpcMessageListener only(IpcChannel server, @Nullable IpcMessageListener existing,
			IpcMessageListener added) {
		if (existing != null) {
			throw new IpcConfigurationException(server.property(),
					"server '" + server.name() + "' already has listener " + existing.describe() + ", so "
							+ added.describe() + " cannot listen to it too",
					"Keep one @IpcListener method per socket server: a server replies, and one request gets one"
							+ " reply.");
		}
		return added;
	}

}
