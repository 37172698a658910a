package dev.ipcboot.process;

/**
 * State of a {@link ManagedProcess}, as in Qt's {@code QProcess::ProcessState}.
 */
public enum ProcessState {

	/** Not started yet, failed to start, or finished. */
	NOT_RUNNING,

	/** Being spawned. */
	STARTING,

	/** Running: it has a pid and its pipes are open. */
	RUNNING

}
