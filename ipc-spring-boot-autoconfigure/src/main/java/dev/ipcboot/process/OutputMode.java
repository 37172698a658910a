package dev.ipcboot.process;

/**
 * What happens to a process's standard output and error.
 */
public enum OutputMode {

	/**
	 * Each line is a message on the process's channel, stream {@code stdout} or
	 * {@code stderr}.
	 */
	SEPARATE,

	/**
	 * Standard error goes into the standard output pipe; every line has stream
	 * {@code stdout}.
	 */
	MERGED,

	/** Each line goes to the application log under logger {@code ipc.process.<name>}. */
	FORWARDED

}
