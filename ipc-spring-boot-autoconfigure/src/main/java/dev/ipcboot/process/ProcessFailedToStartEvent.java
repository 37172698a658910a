package dev.ipcboot.process;

import dev.ipcboot.IpcEvent;

/**
 * Published when a process cannot be started (missing program, not executable, missing
 * working directory).
 */
public class ProcessFailedToStartEvent extends IpcEvent {

	private final ProcessStartException exception;

	/**
	 * Create a new event.
	 * @param process the run that failed
	 * @param exception the failure, naming the command and the reason
	 */
	public ProcessFailedToStartEvent(ManagedProcess process, ProcessStartException exception) {
		super(process, process.name());
		this.exception = exception;
	}

	/**
	 * The operating system's reason with its error number, such as
	 * {@code No such file or directory} for a missing program.
	 * @return the reason
	 */
	public String getReason() {
		return this.exception.getReason();
	}

	/**
	 * The failure, whose message names the command and what to check.
	 * @return the exception
	 */
	public ProcessStartException getException() {
		return this.exception;
	}

}
