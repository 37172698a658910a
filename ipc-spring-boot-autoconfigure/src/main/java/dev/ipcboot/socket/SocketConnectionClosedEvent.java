package dev.ipcboot.socket;

/**
 * A connection to a socket server closed, for whatever reason; a
 * {@link SocketConnectionFailedEvent} precedes it when the reason was an error.
 */
public class SocketConnectionClosedEvent extends SocketConnectionEvent {

	/**
	 * Create an event for a server of any transport.
	 * @param server the server
	 * @param connection the connection
	 * @param peer who is connected
	 */
	public SocketConnectionClosedEvent(IpcServer server, IpcConnection connection, String peer) {
		super(server, connection, peer);
	}

}
