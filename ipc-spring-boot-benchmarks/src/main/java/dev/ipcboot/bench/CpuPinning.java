package dev.ipcboot.bench;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * Pins the calling thread to a set of CPUs ({@code sched_setaffinity(0, ...)}). Threads
 * it starts afterwards inherit the set, so a thread pinned before it starts the servers
 * places every server thread (accept threads, connection threads, event loops and the
 * workers they start) on those CPUs, while each client thread pins itself to the others:
 * the {@code pin=split} placement of the 16-client rows, where the ratio measures what
 * each server does with one CPU rather than how the scheduler shares two CPUs between 16
 * client threads and the server's.
 */
final class CpuPinning {

	/** The CPU of the servers' threads in the split placement. */
	static final int SERVER_CPU = 1;

	/** The CPU of the client threads in the split placement. */
	static final int CLIENT_CPU = 0;

	private CpuPinning() {
	}

	/** Pins the calling thread to one CPU; fails if the kernel refuses. */
	static void pinCurrentThread(int cpu) {
		long[] mask = new long[16];
		mask[cpu / 64] = 1L << (cpu % 64);
		if (Libc.INSTANCE.sched_setaffinity(0, mask.length * 8L, mask) != 0) {
			throw new IllegalStateException(
					"sched_setaffinity to CPU " + cpu + " failed, errno " + Native.getLastError());
		}
	}

	/** Whether this machine has the two CPUs that the split placement needs. */
	static void requireTwoCpus() {
		if (Runtime.getRuntime().availableProcessors() < 2) {
			throw new IllegalStateException("pin=split needs two CPUs; this process may use "
					+ Runtime.getRuntime().availableProcessors() + " (do not run it under taskset -c 0)");
		}
	}

	private interface Libc extends Library {

		Libc INSTANCE = Native.load("c", Libc.class);

		int sched_setaffinity(int pid, long size, long[] mask);

	}

}
