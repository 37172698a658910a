package dev.ipcboot.socket;

/**
 * A message could not be sent on a connection because it is closed, or was closed because
 * its peer read nothing for {@code write-timeout}.
 */
public class IpcConnectionClosedException extends RuntimeException {

	private final String connectionId;

	/**
	 * Create an exception.
	 * @param connectionId the connection's id
	 * @param message what happened
	 */
	public IpcConnectionClosedException(String connectionId, String message) {
		super(message);
		this.connectionId = connectionId;
	}

	/**
	 * The connection that is closed.
	 * @return its id
	 */
	public String getConnectionId() {
		return this.connectionId;
	}

}
