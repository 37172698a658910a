package dev.ipcboot.socket;

/**
 * Published when an {@link IpcClient} has opened a connection to its server.
 */
public class ClientConnectionOpenedEvent extends ClientConnectionEvent {

	/**
	 * Create a new event.
	 * @param source the client
	 * @param clientName the client's name
	 * @param address the server's address
	 */
	public ClientConnectionOpenedEvent(Object source, String clientName, String address) {
		super(source, clientName, address);
	}

}
