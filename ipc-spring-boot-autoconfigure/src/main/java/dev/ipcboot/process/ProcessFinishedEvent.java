package dev.ipcboot.process;

import dev.ipcboot.IpcEvent;

/**
 * Published when a process has ended and been reaped.
 */
public class ProcessFinishedEvent extends IpcEvent {

	private final long pid;

	private final int exitCode;

	private final ExitStatus exitStatus;

	private final int exitSignal;

	/**
	 * Create a new event.
	 * @param process the run that finished
	 * @param exitCode its exit code, {@code -1} when a signal killed it
	 * @param exitStatus how it ended
	 * @param exitSignal the signal that killed it, {@code 0} if none
	 */
	public ProcessFinishedEvent(ManagedProcess process, int exitCode, ExitStatus exitStatus, int exitSignal) {
		super(process, process.name());
		this.pid = process.pid();
		this.exitCode = exitCode;
		this.exitStatus = exitStatus;
		this.exitSignal = exitSignal;
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

	/**
	 * Exit code.
	 * @return the code, {@code -1} when a signal killed it
	 */
	public int getExitCode() {
		return this.exitCode;
	}

	/**
	 * Exit status.
	 * @return normal or crashed
	 */
	public ExitStatus getExitStatus() {
		return this.exitStatus;
	}

	/**
	 * The signal that killed it.
	 * @return the signal number, {@code 0} if none
	 */
	public int getExitSignal() {
		return this.exitSignal;
	}

	@Override
	public String toString() {
		return "ProcessFinishedEvent[" + resourceName() + ", pid " + this.pid + ", "
				+ ((this.exitStatus == ExitStatus.NORMAL) ? "exit code " + this.exitCode
						: "killed by signal " + this.exitSignal)
				+ "]";
	}

}
