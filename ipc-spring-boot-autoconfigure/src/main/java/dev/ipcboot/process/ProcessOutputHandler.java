package dev.ipcboot.process;

/**
 * Receives the output lines of a process started from a {@link ProcessSpec} with
 * {@link ProcessManager#start(ProcessSpec, ProcessOutputHandler)}. Called on the
 * process's pump thread, one line at a time and in order per stream; while it runs, the
 * child can write at most a pipe's worth before it blocks, so a slow handler slows the
 * child down instead of filling the heap.
 */
@FunctionalInterface
public interface ProcessOutputHandler {

	/**
	 * Handle one line, without its line feed.
	 * @param process the process that wrote it
	 * @param stream {@code stdout} or {@code stderr}
	 * @param line the line, decoded as UTF-8
	 */
	void onLine(ManagedProcess process, String stream, String line);

}
