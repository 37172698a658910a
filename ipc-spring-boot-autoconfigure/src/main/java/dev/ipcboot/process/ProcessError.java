package dev.ipcboot.process;

/**
 * The error that occurred on a {@link ManagedProcess}, as in Qt's
 * {@code QProcess::ProcessError}.
 */
public enum ProcessError {

	/**
	 * The program could not be started: missing, not executable, bad working directory.
	 */
	FAILED_TO_START,

	/** A signal killed the process. */
	CRASHED,

	/** A wait with a timeout ({@link ManagedProcess#waitForFinished}) timed out. */
	TIMED_OUT,

	/** Writing to its standard input failed, usually because it no longer reads it. */
	WRITE_ERROR

}
