package dev.ipcboot.socket;

import java.time.Duration;

/**
 * Thrown when a reply does not arrive within the client's request timeout. The connection
 * is closed rather than reused, so a late reply never reaches another request.
 */
public class IpcClientTimeoutException extends IpcClientException {

	private final Duration timeout;

	/**
	 * Create a new exception.
	 * @param clientName the client's name in configuration
	 * @param message what timed out, naming the client, the address and the timeout
	 * @param timeout the timeout that elapsed
	 * @param cause the underlying failure
	 */
	public IpcClientTimeoutException(String clientName, String message, Duration timeout, Throwable cause) {
		super(clientName, message, cause);
		this.timeout = timeout;
	}

	/**
	 * The timeout that elapsed.
	 * @return the request timeout of the client
	 */
	public Duration getTimeout() {
		return this.timeout;
	}

}
