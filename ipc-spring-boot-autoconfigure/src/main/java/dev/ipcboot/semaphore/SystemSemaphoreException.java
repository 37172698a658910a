package dev.ipcboot.semaphore;

/**
 * Thrown when a system semaphore cannot be opened or operated. The message names the key
 * and says how to fix it.
 */
public class SystemSemaphoreException extends RuntimeException {

	private final String key;

	/**
	 * Create a new exception.
	 * @param key the semaphore key
	 * @param message what went wrong and how to fix it
	 * @param cause the underlying failure
	 */
	public SystemSemaphoreException(String key, String message, Throwable cause) {
		super(message, cause);
		this.key = key;
	}

	/**
	 * Create a new exception.
	 * @param key the semaphore key
	 * @param message what went wrong and how to fix it
	 */
	public SystemSemaphoreException(String key, String message) {
		super(message);
		this.key = key;
	}

	/**
	 * The key of the semaphore.
	 * @return the key
	 */
	public String key() {
		return this.key;
	}

}
