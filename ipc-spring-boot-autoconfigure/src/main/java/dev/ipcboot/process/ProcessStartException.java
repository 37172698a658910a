package dev.ipcboot.process;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when a process cannot be started. The message names the process, its command,
 * the operating system's reason and what to check.
 */
public class ProcessStartException extends RuntimeException {

	private final String reason;

	/**
	 * Create a new exception.
	 * @param message the full message
	 * @param reason the operating system's reason alone with its error number, such as
	 * {@code No such file or directory} for a missing program
	 * @param cause the underlying failure, if any
	 */
	public ProcessStartException(String message, String reason, @Nullable Throwable cause) {
		super(message, cause);
		this.reason = reason;
	}

	/**
	 * The operating system's reason.
	 * @return the reason
	 */
	public String getReason() {
		return this.reason;
	}

}
