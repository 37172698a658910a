package dev.ipcboot.socket;

/**
 * Published when an {@link IpcClient} could not connect to its server, or a connection
 * failed while a request used it.
 */
public class ClientConnectionFailedEvent extends ClientConnectionEvent {

	private final Throwable cause;

	/**
	 * Create a new event.
	 * @param source the client
	 * @param clientName the client's name
	 * @param address the server's address
	 * @param cause what failed
	 */
	public ClientConnectionFailedEvent(Object source, String clientName, String address, Throwable cause) {
		super(source, clientName, address);
		this.cause = cause;
	}

	/**
	 * What failed.
	 * @return the failure
	 */
	public Throwable cause() {
		return this.cause;
	}

}
