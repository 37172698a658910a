package dev.ipcboot.socket;

/**
 * A connection to a socket server closed, for whatever reason; a
 * {@link SocketConnectionFailedEvent} precedes it when the reason was an error.
 */
public class SocketConnectionClosedEvent extends SocketConnectionEvent {

	/**
	 * Create an event.
	 * @param server the server
	 * @param connection the connection
	 * @param peer a description of the peer
	 */
	public SocketConnectionClosedEvent(SocketServer server, IpcConnection connection, String peer) {
		super(server, connection, peer);
	}

	/**
	 * Create an event for a server of another transport ({@code transport: shm}).
	 * @param server the server
	 * @param connection the connection
	 * @param peer who is connected
	 */
	public SocketConnectionClosedEvent(IpcServer server, IpcConnection connection, String peer) {
		super(server, connection, peer);
	}

}
