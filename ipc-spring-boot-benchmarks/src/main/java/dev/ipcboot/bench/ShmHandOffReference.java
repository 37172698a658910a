package dev.ipcboot.bench;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The Java baseline for {@code transport: shm}'s one-CPU tail (issue 17,
 * docs/benchmarks.md): two threads hand a sequence number back and forth through native
 * memory, the sleeper announcing itself in a word as the transport does, woken by
 * {@code e} eventfd + {@code poll} + {@code read} through JNA direct calls, {@code E} the
 * same polling a socket too (as layout version 1 did), {@code L} the same declared
 * {@code throws LastErrorException} (as the transport's bindings are), {@code f} a futex
 * on the word (version 2), {@code p} {@code LockSupport.park/unpark}. Arguments:
 * {@code <mode> [round trips]}; run under {@code taskset -c 0}.
 */
public final class ShmHandOffReference {

	private static final long SYS_FUTEX = 202;

	private static final int REQUEST = 0;

	private static final int REPLY = 64;

	private static final int SERVER_WAITS = 128;

	private static final int CLIENT_WAITS = 192;

	static {
		Native.register(ShmHandOffReference.class, Platform.C_LIBRARY_NAME);
	}

	private static native int eventfd(int initval, int flags);

	private static native long read(int fd, long buffer, long count);

	private static native long write(int fd, long buffer, long count);

	private static native int poll(long fds, long count, int timeout);

	private static native int socketpair(int domain, int type, int protocol, int[] fds);

	private static native long syscall(long number, long a1, long a2, long a3, long a4, long a5, long a6);

	/**
	 * The same calls declared to throw LastErrorException, as the starter's bindings are.
	 */
	static final class Checked {

		static {
			Native.register(Checked.class, Platform.C_LIBRARY_NAME);
		}

		static native long read(int fd, long buffer, long count) throws LastErrorException;

		static native long write(int fd, long buffer, long count) throws LastErrorException;

		static native int poll(long fds, long count, int timeout) throws LastErrorException;

	}

	private final char mode;

	private final Memory memory = new Memory(4096);

	private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

	private final ByteBuffer words = this.memory.getByteBuffer(0, 4096);

	private final long address = Pointer.nativeValue(this.memory);

	private final int requestBell = eventfd(0, 04000);

	private final int replyBell = eventfd(0, 04000);

	private final int[] sockets = new int[2];

	private volatile Thread client;

	private volatile Thread server;

	private ShmHandOffReference(char mode) {
		this.mode = mode;
		this.memory.clear();
		socketpair(1, 1, 0, this.sockets);
	}

	public static void main(String[] args) throws Exception {
		char mode = args[0].charAt(0);
		int count = (args.length > 1) ? Integer.parseInt(args[1]) : 200_000;
		System.out.println(new ShmHandOffReference(mode).run(count));
	}

	private String run(int count) throws InterruptedException {
		int total = 2 * count;
		long[] latencies = new long[count];
		this.server = new Thread(() -> {
			Memory scratch = new Memory(8);
			Memory pollFds = new Memory(16);
			for (int i = 1; i <= total; i++) {
				await(REQUEST, SERVER_WAITS, this.requestBell, this.sockets[1], i, scratch, pollFds);
				publish(REPLY, CLIENT_WAITS, this.replyBell, i, this.client, scratch);
			}
		}, "handoff-server");
		this.client = new Thread(() -> {
			Memory scratch = new Memory(8);
			Memory pollFds = new Memory(16);
			for (int i = 1; i <= total; i++) {
				long begin = System.nanoTime();
				publish(REQUEST, SERVER_WAITS, this.requestBell, i, this.server, scratch);
				await(REPLY, CLIENT_WAITS, this.replyBell, this.sockets[0], i, scratch, pollFds);
				if (i > count) {
					// the first half warms up
					latencies[i - count - 1] = System.nanoTime() - begin;
				}
			}
		}, "handoff-client");
		this.server.start();
		this.client.start();
		this.client.join();
		this.server.join();
		Arrays.sort(latencies);
		double mean = Arrays.stream(latencies).average().orElse(0) / 1000;
		return String.format(Locale.ROOT,
				"mode=%c n=%d mean %.2f p50 %.2f p90 %.2f p99 %.2f p99.9 %.2f us p99/p50 %.2f", this.mode, count, mean,
				latencies[count / 2] / 1000.0, latencies[count * 9 / 10] / 1000.0, latencies[count * 99 / 100] / 1000.0,
				latencies[count * 999 / 1000] / 1000.0, (double) latencies[count * 99 / 100] / latencies[count / 2]);
	}

	private void putVolatile(int offset, int value) {
		INT.setVolatile(this.words, offset, value);
	}

	private int getVolatile(int offset) {
		return (int) INT.getVolatile(this.words, offset);
	}

	private void publish(int sequence, int waits, int bell, int value, Thread peer, Memory scratch) {
		putVolatile(sequence, value);
		if (getVolatile(waits) == 0) {
			return;
		}
		switch (this.mode) {
			case 'e', 'E' -> {
				scratch.setLong(0, 1);
				write(bell, Pointer.nativeValue(scratch), 8);
			}
			case 'L' -> {
				scratch.setLong(0, 1);
				Checked.write(bell, Pointer.nativeValue(scratch), 8);
			}
			case 'f' -> syscall(SYS_FUTEX, this.address + sequence, 1, 1, 0, 0, 0);
			default -> LockSupport.unpark(peer);
		}
	}

	private void await(int sequence, int waits, int bell, int socket, int value, Memory scratch, Memory pollFds) {
		while (getVolatile(sequence) != value) {
			putVolatile(waits, 1);
			int seen = getVolatile(sequence);
			if (seen != value) {
				switch (this.mode) {
					case 'e', 'E', 'L' -> {
						pollFds.setInt(0, bell);
						pollFds.setInt(4, 1);
						pollFds.setInt(8, socket);
						pollFds.setInt(12, 1);
						int fds = (this.mode == 'e') ? 1 : 2;
						if (this.mode == 'L') {
							Checked.poll(Pointer.nativeValue(pollFds), fds, 200);
							try {
								Checked.read(bell, Pointer.nativeValue(scratch), 8);
							}
							catch (LastErrorException ex) {
								// EAGAIN: nothing to reset
							}
						}
						else {
							poll(Pointer.nativeValue(pollFds), fds, 200);
							read(bell, Pointer.nativeValue(scratch), 8);
						}
					}
					case 'f' -> syscall(SYS_FUTEX, this.address + sequence, 0, seen, 0, 0, 0);
					default -> LockSupport.park();
				}
			}
			putVolatile(waits, 0);
		}
	}

}
