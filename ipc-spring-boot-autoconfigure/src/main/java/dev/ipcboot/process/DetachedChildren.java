package dev.ipcboot.process;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Reaps the detached children that end while the application runs, so that they do not
 * stay zombies: one thread, {@code ipc-process-detached}, started with the first detached
 * child, looks every {@value #POLL_MILLIS} ms with a non-blocking {@code waitpid} and
 * ends when the manager stops. Children still running then are left alone (they outlive
 * the application; when it exits, they are re-parented and reaped by their new parent).
 */
final class DetachedChildren implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(DetachedChildren.class);

	private static final long POLL_MILLIS = 250;

	private final List<SpawnedProcess> running = new ArrayList<>();

	private @Nullable Thread reaper;

	private boolean closed;

	synchronized void add(SpawnedProcess child) {
		if (this.closed) {
			return;
		}
		this.running.add(child);
		if (this.reaper == null) {
			Thread thread = new Thread(this::reapLoop, "ipc-process-detached");
			thread.setDaemon(true);
			this.reaper = thread;
			thread.start();
		}
	}

	private void reapLoop() {
		try {
			while (true) {
				synchronized (this) {
					if (this.closed) {
						return;
					}
					this.running.removeIf((child) -> child.tryAwait() != null);
					wait(POLL_MILLIS);
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (RuntimeException ex) {
			logger.warn("Stopped reaping detached processes; those that end from now on stay zombies until the"
					+ " application exits", ex);
		}
	}

	@Override
	public void close() {
		Thread thread;
		synchronized (this) {
			this.closed = true;
			notifyAll();
			thread = this.reaper;
		}
		if (thread != null) {
			try {
				thread.join(TimeUnit.SECONDS.toMillis(5));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

}
