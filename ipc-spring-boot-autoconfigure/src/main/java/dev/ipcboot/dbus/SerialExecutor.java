package dev.ipcboot.dbus;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Runs tasks one at a time, in submission order, on a shared pool: each signal
 * subscription has one, so that a subscription keeps its order while a slow listener
 * stalls only its own subscription.
 */
final class SerialExecutor implements Executor {

	private static final Log logger = LogFactory.getLog(SerialExecutor.class);

	private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();

	private final AtomicBoolean scheduled = new AtomicBoolean();

	private final Executor pool;

	private final String owner;

	SerialExecutor(Executor pool, String owner) {
		this.pool = pool;
		this.owner = owner;
	}

	@Override
	public void execute(Runnable task) {
		this.tasks.add(task);
		schedule();
	}

	private void schedule() {
		if (!this.tasks.isEmpty() && this.scheduled.compareAndSet(false, true)) {
			try {
				this.pool.execute(this::drain);
			}
			catch (RejectedExecutionException ex) {
				// the connection is closing: what is queued will not run
				this.tasks.clear();
				this.scheduled.set(false);
				logger.debug("Dropped signals of " + this.owner + " queued while closing");
			}
		}
	}

	private void drain() {
		boolean released = false;
		try {
			for (;;) {
				Runnable task;
				while ((task = this.tasks.poll()) != null) {
					try {
						task.run();
					}
					catch (RuntimeException ex) {
						logger.error("Signal handler of " + this.owner + " failed", ex);
					}
				}
				this.scheduled.set(false);
				// a task added between the last poll and the reset above is run here, on
				// this thread: handing it to the pool while this thread is still busy
				// would start another one
				if (this.tasks.isEmpty() || !this.scheduled.compareAndSet(false, true)) {
					released = true;
					return;
				}
			}
		}
		finally {
			if (!released) {
				// an Error ended this thread's run: let another thread take over
				this.scheduled.set(false);
				schedule();
			}
		}
	}

}
