package dev.ipcboot.socket;

import dev.ipcboot.IpcEvent;

/**
 * Base of the events about one connection to a socket server. The resource name is the
 * server's name.
 */
public abstract class SocketConnectionEvent extends IpcEvent {

	private final IpcConnection connection;

	private final String peer;

	/**
	 * Create an event for a server of any transport.
	 * @param server the server
	 * @param connection the connection
	 * @param peer who is connected
	 */
	protected SocketConnectionEvent(IpcServer server, IpcConnection connection, String peer) {
		super(server, server.name());
		this.connection = connection;
		this.peer = peer;
	}

	/**
	 * The connection: a listener of the opened event may {@link IpcConnection#send send}
	 * to it (a greeting, the current state of a feed).
	 * @return the connection
	 */
	public IpcConnection connection() {
		return this.connection;
	}

	/**
	 * Identifier of the connection, as in header
	 * {@link dev.ipcboot.socket.SocketHeaders#CONNECTION_ID}.
	 * @return the connection id
	 */
	public String connectionId() {
		return this.connection.id();
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
