package dev.ipcboot.shm;

/**
 * Thrown when a shared memory segment cannot be created, attached, locked or written. The
 * message names the key and says how to fix it.
 */
public class SharedMemoryException extends RuntimeException {

	private final String key;

	/**
	 * Create a new exception.
	 * @param key the segment key
	 * @param message what went wrong and how to fix it
	 * @param cause the underlying failure, if any
	 */
	public SharedMemoryException(String key, String message, Throwable cause) {
		super(message, cause);
		this.key = key;
	}

	/**
	 * Create a new exception.
	 * @param key the segment key
	 * @param message what went wrong and how to fix it
	 */
	public SharedMemoryException(String key, String message) {
		super(message);
		this.key = key;
	}

	/**
	 * The key of the segment.
	 * @return the key
	 */
	public String key() {
		return this.key;
	}

}
