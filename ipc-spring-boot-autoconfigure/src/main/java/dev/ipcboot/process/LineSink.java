package dev.ipcboot.process;

/**
 * Where a pump delivers the output lines of a process: its channel's listeners, the log,
 * or an ad-hoc handler.
 */
@FunctionalInterface
interface LineSink {

	/**
	 * Deliver one line on the pump's thread.
	 * @param process the run that wrote it
	 * @param stream {@code stdout} or {@code stderr}
	 * @param line the line without its line feed, owned by the sink from now on
	 */
	void onLine(ChildProcess process, String stream, byte[] line);

}
