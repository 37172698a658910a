package dev.ipcboot.socket;

import dev.ipcboot.IpcEvent;

/**
 * Base of the events about one connection to a socket server. The resource name is the
 * server's name.
 */
public abstract class SocketConnectionEvent extends IpcEvent {

	private final String connectionId;

	private final String peer;

	protected SocketConnectionEvent(SocketServer server, String connectionId, String peer) {
		super(server, server.name());
		this.connectionId = connectionId;
		this.peer = peer;
	}

	/**
	 * Identifier of the connection, as in header
	 * {@link dev.ipcboot.listener.IpcHeaders#CONNECTION_ID}.
	 * @return the connection id
	 */
	public String connectionId() {
		return this.connectionId;
	}

	/**
	 * Who is connected: {@code pid 123 uid 1000 gid 1000} or {@code 127.0.0.1:5555}.
	 * @return a description of the peer
	 */
	public String peer() {
		return this.peer;
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "[" + resourceName() + ", " + this.peer + "]";
	}

}
