package dev.ipcboot.process;

import java.time.Duration;

import dev.ipcboot.IpcEvent;

/**
 * Published when supervision has scheduled a restart of a process that ended.
 */
public class ProcessRestartingEvent extends IpcEvent {

	private final int attempt;

	private final Duration delay;

	/**
	 * Create a new event.
	 * @param previous the run that ended
	 * @param attempt the restart attempt in the current series, from 1
	 * @param delay how long until the restart
	 */
	public ProcessRestartingEvent(ManagedProcess previous, int attempt, Duration delay) {
		super(previous, previous.name());
		this.attempt = attempt;
		this.delay = delay;
	}

	/**
	 * Restart attempt in the current series of failures.
	 * @return the attempt, from 1
	 */
	public int getAttempt() {
		return this.attempt;
	}

	/**
	 * Delay before the restart.
	 * @return the delay
	 */
	public Duration getDelay() {
		return this.delay;
	}

	@Override
	public String toString() {
		return "ProcessRestartingEvent[" + resourceName() + ", attempt " + this.attempt + " in " + this.delay + "]";
	}

}
