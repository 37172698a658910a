package dev.ipcboot.socket.internal;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;

/**
 * Cuts a client's writes that outlive the request timeout. A server that stops reading
 * fills the socket's buffers, and a blocking write would then wait for ever: neither the
 * JDK's sockets nor junixsocket's have a send timeout.
 * <p>
 * One daemon thread per client, started by the first write. While the client is busy it
 * looks at the writes in progress once per period; after a second without a write it
 * parks until the next one. A write therefore costs two volatile stores and a volatile
 * read, plus one unpark after an idle second.
 */
final class WriteWatchdog implements AutoCloseable {

	private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);

	private final String threadName;

	private final long periodNanos;

	private final ClientConnectionPool[] pools;

	private final Object lifecycle = new Object();

	private volatile @Nullable Thread thread;

	private volatile boolean parked;

	private volatile long lastWrite;

	private volatile boolean closed;

	/**
	 * Watch the writes on the connections of the given pools.
	 * @param threadName name of the thread
	 * @param timeout how long a write may take; a write past it is cut within a quarter
	 * of it (at most 250 ms later)
	 * @param pools the client's connections
	 */
	WriteWatchdog(String threadName, Duration timeout, ClientConnectionPool... pools) {
		this.threadName = threadName;
		this.periodNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(5),
				Math.min(timeout.toNanos() / 4, TimeUnit.MILLISECONDS.toNanos(250)));
		this.pools = pools;
	}

	/**
	 * Note that a write starts now (its connection carries the deadline).
	 * @param now {@link System#nanoTime()}
	 */
	void writing(long now) {
		this.lastWrite = now;
		Thread watcher = this.thread;
		if (watcher == null) {
			start();
		}
		else if (this.parked) {
			LockSupport.unpark(watcher);
		}
	}

	private void start() {
		synchronized (this.lifecycle) {
			if (this.thread != null || this.closed) {
				return;
			}
			Thread watcher = new Thread(this::run, this.threadName);
			watcher.setDaemon(true);
			this.thread = watcher;
			watcher.start();
		}
	}

	private void run() {
		while (!this.closed) {
			long seen = this.lastWrite;
			long now = System.nanoTime();
			boolean writing = false;
			for (ClientConnectionPool pool : this.pools) {
				writing |= pool.expireStalledWrites(now);
			}
			if (writing || now - seen < IDLE_NANOS) {
				LockSupport.parkNanos(this, this.periodNanos);
				continue;
			}
			this.parked = true;
			// a write that starts from here on either changed lastWrite, seen below, or
			// sees parked and unparks this thread
			if (this.lastWrite == seen && !this.closed) {
				LockSupport.park(this);
			}
			this.parked = false;
		}
	}

	/** Stop the thread and wait for it. */
	@Override
	public void close() {
		Thread watcher;
		synchronized (this.lifecycle) {
			this.closed = true;
			watcher = this.thread;
		}
		if (watcher == null) {
			return;
		}
		LockSupport.unpark(watcher);
		try {
			watcher.join(TimeUnit.SECONDS.toMillis(5));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
