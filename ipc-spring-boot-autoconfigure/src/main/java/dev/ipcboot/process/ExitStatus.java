package dev.ipcboot.process;

/**
 * How a process ended, as in Qt's {@code QProcess::ExitStatus}.
 */
public enum ExitStatus {

	/** It called {@code exit}; {@link ManagedProcess#exitCode()} holds the code. */
	NORMAL,

	/**
	 * A signal killed it; {@link ManagedProcess#exitSignal()} holds the signal number.
	 */
	CRASHED

}
