package dev.ipcboot.process;

/**
 * When a supervised process is started again after it ends.
 */
public enum RestartPolicy {

	/** Never. */
	NEVER,

	/**
	 * When it failed to start, exited with a code other than 0, or was killed by a
	 * signal.
	 */
	ON_FAILURE,

	/** Whenever it ends, unless the application stopped it. */
	ALWAYS

}
