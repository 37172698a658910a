package dev.ipcboot.internal.natives;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * Wait and wake on a 32-bit word of memory shared between processes ({@code futex(2)},
 * {@code FUTEX_WAIT}/{@code FUTEX_WAKE}, not private: the word may be mapped by another
 * process). A waiter sleeps only while the word still holds the value it expects, so a
 * wake that comes between its last look and its sleep is not lost as long as the waker
 * changes the word before it wakes. One instance per waiting thread (it owns the timeout
 * it passes); {@link #wake} may be called from any thread.
 */
public final class Futex {

	/** {@code __NR_futex}: 202 on x86-64, 98 on arm64 (the generic table). */
	private static final long SYS_FUTEX = Platform.isARM() ? 98 : 202;

	private static final long FUTEX_WAIT = 0;

	private static final long FUTEX_WAKE = 1;

	private final Memory timeout = new Memory(16);

	private final long timeoutAddress = Pointer.nativeValue(this.timeout);

	private final String name;

	/**
	 * Create a waiter.
	 * @param name the channel, for messages
	 */
	public Futex(String name) {
		if (!Platform.isLinux() || !Platform.is64Bit() || !(Platform.isIntel() || Platform.isARM())) {
			throw new UnsupportedOperationException("futex is bound for Linux on x86-64 and arm64 only");
		}
		this.name = name;
	}

	/**
	 * Sleep while the word at {@code address} holds {@code expected}, at most
	 * {@code timeoutNanos}. Returns at once when the word holds something else; may
	 * return early (a signal, a spurious wake): the caller looks at its state again
	 * either way.
	 * @param address the word's address in memory this process maps
	 * @param expected the value it sleeps on
	 * @param timeoutNanos how long at most (positive)
	 */
	public void await(long address, int expected, long timeoutNanos) {
		this.timeout.setLong(0, timeoutNanos / 1_000_000_000L);
		this.timeout.setLong(8, timeoutNanos % 1_000_000_000L);
		// -1 with EAGAIN (the word changed), EINTR or ETIMEDOUT: all mean "look again";
		// unchecked on purpose, so that the common EAGAIN costs no exception
		Unchecked.syscall(SYS_FUTEX, address, FUTEX_WAIT, expected, this.timeoutAddress, 0, 0);
	}

	/**
	 * Wake one thread (of any process) sleeping on the word at {@code address}.
	 * @param address the word's address in memory this process maps
	 * @param name the channel, for messages
	 * @throws NativeCallException if the kernel refuses the address
	 */
	public static void wake(long address, String name) {
		try {
			Checked.syscall(SYS_FUTEX, address, FUTEX_WAKE, 1, 0, 0, 0);
		}
		catch (LastErrorException ex) {
			throw new NativeCallException("futex(FUTEX_WAKE)", name, ex.getErrorCode());
		}
	}

	@Override
	public String toString() {
		return "Futex[" + this.name + "]";
	}

	/** {@code syscall} returning -1 without reading errno, for waits. */
	static final class Unchecked {

		static {
			Native.register(Unchecked.class, Platform.C_LIBRARY_NAME);
		}

		static native long syscall(long number, long a1, long a2, long a3, long a4, long a5, long a6);

	}

	/** {@code syscall} with errno, for wakes (which do not fail on a mapped word). */
	static final class Checked {

		static {
			Native.register(Checked.class, Platform.C_LIBRARY_NAME);
		}

		static native long syscall(long number, long a1, long a2, long a3, long a4, long a5, long a6)
				throws LastErrorException;

	}

}
