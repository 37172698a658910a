package dev.ipcboot.socket;

/**
 * A peer connected to a socket server and was admitted (its uid is allowed and the server
 * is under {@code max-connections}).
 */
public class SocketConnectionOpenedEvent extends SocketConnectionEvent {

	/**
	 * Create an event for a server of any transport.
	 * @param server the server
	 * @param connection the connection
	 * @param peer who is connected
	 */
	public SocketConnectionOpenedEvent(IpcServer server, IpcConnection connection, String peer) {
		super(server, connection, peer);
	}

}
