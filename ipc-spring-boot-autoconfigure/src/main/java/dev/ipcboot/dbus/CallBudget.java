package dev.ipcboot.dbus;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The method calls one underlying connection has read from the bus and not answered yet
 * (waiting for a thread, running, or waiting for a delayed reply), counted and weighed,
 * and bounded like the signals that wait for a subscription's listener
 * ({@link SignalSubscription#MAX_WAITING}): at most {@link #MAX_CALLS} calls or
 * {@link #MAX_BYTES}, so that a peer that calls faster than the exported objects answer
 * cannot fill the heap. A call is always admitted when none waits, however large.
 */
final class CallBudget {

	/** Calls that may wait for their answer at once. */
	static final int MAX_CALLS = SignalSubscription.MAX_WAITING;

	/** Bytes (as they came off the socket) of the calls that may wait. */
	static final long MAX_BYTES = SignalSubscription.MAX_WAITING_BYTES;

	private final AtomicInteger calls = new AtomicInteger();

	private final AtomicLong bytes = new AtomicLong();

	/**
	 * Count a call that was read, unless the bound is reached.
	 * @param size its size on the wire
	 * @return whether it was admitted; an admitted call must be {@link #release released}
	 * once answered (or dropped)
	 */
	boolean tryAcquire(int size) {
		int count = this.calls.incrementAndGet();
		long total = this.bytes.addAndGet(size);
		if (count <= MAX_CALLS && (total <= MAX_BYTES || count == 1)) {
			return true;
		}
		this.calls.decrementAndGet();
		this.bytes.addAndGet(-size);
		return false;
	}

	void release(int size) {
		this.bytes.addAndGet(-size);
		this.calls.decrementAndGet();
	}

	/** The calls waiting for their answer now. */
	int calls() {
		return this.calls.get();
	}

	/** Their size on the wire. */
	long bytes() {
		return this.bytes.get();
	}

}
