package dev.ipcboot.socket;

/**
 * A peer connected to a socket server and was admitted (its uid is allowed and the server
 * is under {@code max-connections}).
 */
public class SocketConnectionOpenedEvent extends SocketConnectionEvent {

	/**
	 * Create an event.
	 * @param server the server
	 * @param connection the connection
	 * @param peer a description of the peer
	 */
	public SocketConnectionOpenedEvent(SocketServer server, IpcConnection connection, String peer) {
		super(server, connection, peer);
	}

	/**
	 * Create an event for a server of another transport ({@code transport: shm}).
	 * @param server the server
	 * @param connection the connection
	 * @param peer who is connected
	 */
	public SocketConnectionOpenedEvent(IpcServer server, IpcConnection connection, String peer) {
		super(server, connection, peer);
	}

}
