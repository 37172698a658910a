package dev.ipcboot.socket;

/**
 * Thrown when an {@link IpcClient} cannot deliver a request or read its reply. The
 * message names the client, the server's address and what to check.
 */
public class IpcClientException extends RuntimeException {

	private final String clientName;

	/**
	 * Create a new exception.
	 * @param clientName the client's name in configuration
	 * @param message what failed, naming the client and the address
	 * @param cause the underlying failure, if any
	 */
	public IpcClientException(String clientName, String message, Throwable cause) {
		super(message, cause);
		this.clientName = clientName;
	}

	/**
	 * Create a new exception without an underlying cause.
	 * @param clientName the client's name in configuration
	 * @param message what failed, naming the client and the address
	 */
	public IpcClientException(String clientName, String message) {
		super(message);
		this.clientName = clientName;
	}

	/**
	 * Name of the client that failed.
	 * @return the name
	 */
	public String getClientName() {
		return this.clientName;
	}

}
