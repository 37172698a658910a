package dev.ipcboot.dbus;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.ipcboot.IpcThreads;

/**
 * The threads that run signal callbacks of one connection (or complete its asynchronous
 * calls). Each subscription gets a {@link SerialExecutor} over this pool, so it uses at
 * most one thread at a time; idle threads end after ten seconds and all of them when the
 * connection closes.
 */
final class SignalThreads implements Executor {

	private static final Log logger = LogFactory.getLog(SignalThreads.class);

	private final ExecutorService pool;

	private final String owner;

	SignalThreads(String owner, Supplier<String> threadNames, IpcThreads threads) {
		this.owner = owner;
		this.pool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 10, TimeUnit.SECONDS, new SynchronousQueue<>(),
				(task) -> platformOrVirtual(threads, threadNames.get(), task));
	}

	private static Thread platformOrVirtual(IpcThreads threads, String name, Runnable task) {
		if (threads.isVirtual()) {
			return threads.newThread(name, task);
		}
		// as before: not daemon, so a callback in progress is not cut short by the JVM
		return new Thread(task, name);
	}

	@Override
	public void execute(Runnable task) {
		this.pool.execute(task);
	}

	SerialExecutor serial(String subscription) {
		return new SerialExecutor(this.pool, subscription);
	}

	/**
	 * Stop taking signals and wait up to five seconds for running callbacks, then
	 * interrupt them.
	 */
	void shutdown() {
		this.pool.shutdown();
		try {
			if (!this.pool.awaitTermination(5, TimeUnit.SECONDS)) {
				logger.warn("Tasks of " + this.owner + " still run 5 s after close; interrupting them");
				this.pool.shutdownNow();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
