package dev.ipcboot.dbus;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The thread that brings a lost connection back: it waits with exponential backoff
 * between attempts and stops at once when the connection closes (the wait is on a latch,
 * not a sleep).
 */
final class Reconnector {

	private final CountDownLatch stopped = new CountDownLatch(1);

	private final Duration initialBackoff;

	private final Duration maxBackoff;

	private final Runnable cleanup;

	private final BooleanSupplier attempt;

	private final Thread thread;

	/**
	 * Create a reconnector; {@link #start()} starts it.
	 * @param threadName name of its thread
	 * @param initialBackoff first wait
	 * @param maxBackoff longest wait
	 * @param cleanup runs first, to release the lost connection
	 * @param attempt one reconnection attempt; {@code true} when no further attempt is
	 * needed
	 */
	Reconnector(String threadName, Duration initialBackoff, Duration maxBackoff, Runnable cleanup,
			BooleanSupplier attempt) {
		this.initialBackoff = initialBackoff;
		this.maxBackoff = maxBackoff;
		this.cleanup = cleanup;
		this.attempt = attempt;
		this.thread = new Thread(this::run, threadName);
	}

	void start() {
		this.thread.start();
	}

	private void run() {
		this.cleanup.run();
		long backoff = Math.max(1, this.initialBackoff.toMillis());
		try {
			while (!this.stopped.await(backoff, TimeUnit.MILLISECONDS)) {
				if (this.attempt.getAsBoolean()) {
					return;
				}
				backoff = Math.min(backoff * 2, this.maxBackoff.toMillis());
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Stop attempting and wait up to five seconds for the thread to end.
	 */
	void stop() {
		this.stopped.countDown();
		if (Thread.currentThread() != this.thread) {
			try {
				this.thread.join(5000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

}
