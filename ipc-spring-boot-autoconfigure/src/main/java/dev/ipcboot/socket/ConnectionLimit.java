package dev.ipcboot.socket;

import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

import dev.ipcboot.IpcChannelMetrics;

/**
 * Counts the admitted connections of a {@link SocketServer} against its
 * {@code max-connections}. A connection is counted from {@link #admit()} to
 * {@link #release()}; a refusal is recorded in the server's metrics.
 */
final class ConnectionLimit {

	private final int max;

	private final IpcChannelMetrics metrics;

	private final AtomicInteger open = new AtomicInteger();

	ConnectionLimit(int max, IpcChannelMetrics metrics) {
		this.max = max;
		this.metrics = metrics;
	}

	/**
	 * Count one more connection unless the limit is reached.
	 * @return {@code null} when admitted, otherwise why it was refused
	 */
	@Nullable String admit() {
		while (true) {
			int current = this.open.get();
			if (current >= this.max) {
				this.metrics.connectionFailed("max-connections");
				return "server has max-connections (" + this.max + ") open";
			}
			if (this.open.compareAndSet(current, current + 1)) {
				return null;
			}
		}
	}

	void release() {
		this.open.decrementAndGet();
	}

	int open() {
		return this.open.get();
	}

}
