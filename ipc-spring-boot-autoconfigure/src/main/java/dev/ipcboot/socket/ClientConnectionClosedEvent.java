package dev.ipcboot.socket;

/**
 * Published when an {@link IpcClient} has closed one of its connections: because the
 * client closed, a request timed out, the server closed it, or the framing uses one
 * connection per message.
 */
public class ClientConnectionClosedEvent extends ClientConnectionEvent {

	/**
	 * Create a new event.
	 * @param source the client
	 * @param clientName the client's name
	 * @param address the server's address
	 */
	public ClientConnectionClosedEvent(Object source, String clientName, String address) {
		super(source, clientName, address);
	}

}
