package dev.ipcboot.process;

import dev.ipcboot.IpcThreads;

/**
 * The output pumps of one run (one for standard output, one for standard error unless it
 * is merged) and their threads.
 */
final class OutputPumps {

	private final OutputPump[] pumps = new OutputPump[2];

	private final Thread[] threads = new Thread[2];

	private int count;

	void start(OutputPump pump, String threadName, IpcThreads threads) {
		Thread thread = threads.newThread(threadName, pump);
		this.pumps[this.count] = pump;
		this.threads[this.count] = thread;
		this.count++;
		thread.start();
	}

	/**
	 * Wait until every pump has reached end-of-file, at most the given time.
	 * @return whether all have
	 */
	boolean awaitDrained(long millis) {
		long deadline = System.currentTimeMillis() + millis;
		try {
			for (int i = 0; i < this.count; i++) {
				long remaining = deadline - System.currentTimeMillis();
				if (remaining > 0) {
					this.threads[i].join(remaining);
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		for (int i = 0; i < this.count; i++) {
			if (this.threads[i].isAlive()) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Make every pump stop at its next quiet moment, even if a pipe stays open.
	 */
	void stop() {
		for (int i = 0; i < this.count; i++) {
			this.pumps[i].stop();
		}
	}

}
