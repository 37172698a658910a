package dev.ipcboot.process;

import dev.ipcboot.IpcEvent;

/**
 * Published when a process has been spawned, before any of its output is delivered.
 */
public class ProcessStartedEvent extends IpcEvent {

	private final long pid;

	/**
	 * Create a new event.
	 * @param process the run that started
	 */
	public ProcessStartedEvent(ManagedProcess process) {
		super(process, process.name());
		this.pid = process.pid();
	}

	/**
	 * The process.
	 * @return the run
	 */
	public ManagedProcess getProcess() {
		return (ManagedProcess) getSource();
	}

	/**
	 * Its process id.
	 * @return the pid
	 */
	public long getPid() {
		return this.pid;
	}

}
