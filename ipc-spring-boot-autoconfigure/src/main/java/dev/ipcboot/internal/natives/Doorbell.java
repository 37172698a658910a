package dev.ipcboot.internal.natives;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/**
 * A wait in {@code poll} on a descriptor that may be rung (an {@code eventfd}, reset when
 * it rang) and on a second one whose hang-up means the peer is gone (a connection's
 * socket). {@code transport: shm} now wakes through {@link Futex} and uses it only to
 * look at the socket ({@code await(-1, socket, 0)}); eventfd creation and ringing were
 * removed with its version 1 layout. One instance per waiting thread.
 */
public final class Doorbell {

	/** {@link #await} result: the doorbell rang. */
	public static final int RUNG = 1;

	/** {@link #await} result: the other descriptor is readable, hung up or in error. */
	public static final int HUNG_UP = 2;

	private final Memory scratch = new Memory(8);

	private final Memory pollFds = new Memory(16);

	private final long scratchAddress = Pointer.nativeValue(this.scratch);

	private final long pollAddress = Pointer.nativeValue(this.pollFds);

	private final String name;

	/**
	 * Create a waiter.
	 * @param name the channel, for messages
	 */
	public Doorbell(String name) {
		this.name = name;
	}

	/**
	 * Close a descriptor (a doorbell, a received one); errors are ignored, as the
	 * descriptor is gone either way.
	 * @param fd the descriptor
	 */
	public static void close(int fd) {
		RingCalls.closeQuietly(fd);
	}

	/**
	 * Wait until the doorbell rings, the other descriptor hangs up or becomes readable,
	 * or the time is up. A ring is consumed (the counter is reset).
	 * @param doorbell the eventfd to wait on
	 * @param hangup the descriptor whose end means the peer is gone, or -1
	 * @param timeoutMillis how long at most; -1 for no limit
	 * @return {@link #RUNG} and/or {@link #HUNG_UP}, 0 when the time was up
	 */
	public int await(int doorbell, int hangup, int timeoutMillis) {
		this.pollFds.setInt(0, doorbell);
		this.pollFds.setInt(4, RingCalls.POLLIN);
		this.pollFds.setInt(8, hangup);
		this.pollFds.setInt(12, RingCalls.POLLIN);
		int ready = RingCalls.poll(this.pollAddress, (hangup >= 0) ? 2 : 1, timeoutMillis, this.name);
		if (ready <= 0) {
			return 0;
		}
		int result = 0;
		if ((this.pollFds.getShort(6) & RingCalls.POLLIN) != 0) {
			RingCalls.drain(doorbell, this.scratchAddress);
			result |= RUNG;
		}
		if (hangup >= 0 && this.pollFds.getShort(14) != 0) {
			result |= HUNG_UP;
		}
		return result;
	}

}
