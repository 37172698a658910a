package dev.ipcboot.socket.shm.internal;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * The layout of the memory a server passes to each client (docs/shm-transport.md), one
 * descriptor of offsets as Agrona's {@link RingBufferDescriptor} is for its rings. All
 * integers little-endian.
 *
 * <pre>
 * 0     u32 magic 0x52435049 ("IPCR")     4   u32 version (2)
 * 8     u32 ring capacity (power of two)  12  u32 max message size
 * 16    u32 server pid
 * 64    u32 server waits for data (1 while it may sleep: a futex word, see ShmDuplex)
 * 68    u32 server waits for space (futex word)
 * 128   u32 client waits for data (futex word)
 * 132   u32 client waits for space (futex word)
 * 4096  client-to-server ring (Agrona OneToOneRingBuffer: capacity + 768-byte trailer)
 * 4096 + align(capacity + 768, 4096)  server-to-client ring, the same
 * </pre>
 */
final class ShmLayout {

	static final int MAGIC = 0x52435049;

	static final int VERSION = 2;

	static final int MAGIC_OFFSET = 0;

	static final int VERSION_OFFSET = 4;

	static final int CAPACITY_OFFSET = 8;

	static final int MAX_MESSAGE_SIZE_OFFSET = 12;

	static final int SERVER_PID_OFFSET = 16;

	static final int SERVER_WAITS_DATA_OFFSET = 64;

	static final int SERVER_WAITS_SPACE_OFFSET = 68;

	static final int CLIENT_WAITS_DATA_OFFSET = 128;

	static final int CLIENT_WAITS_SPACE_OFFSET = 132;

	static final int HEADER_LENGTH = 4096;

	/** Record types: a whole message, or the first, a middle or the last fragment. */
	static final int MESSAGE = 1;

	static final int FIRST = 2;

	static final int MIDDLE = 3;

	static final int LAST = 4;

	/** What the server writes on the socket with the descriptors. */
	static final byte[] HELLO = { 'I', 'P', 'C', 'S', 'H', 'M', '2', '\n' };

	/**
	 * The descriptors passed with {@link #HELLO}: the memory (version 1 also passed four
	 * eventfd doorbells; version 2 wakes through futex words in the header).
	 */
	static final int DESCRIPTORS = 1;

	private ShmLayout() {
	}

	static int ringLength(int capacity) {
		return capacity + RingBufferDescriptor.TRAILER_LENGTH;
	}

	static int clientToServerOffset() {
		return HEADER_LENGTH;
	}

	static int serverToClientOffset(int capacity) {
		return HEADER_LENGTH + align(ringLength(capacity));
	}

	static long size(int capacity) {
		return serverToClientOffset(capacity) + (long) align(ringLength(capacity));
	}

	private static int align(int length) {
		return (length + 4095) & ~4095;
	}

	static void initialise(UnsafeBuffer memory, int capacity, int maxMessageSize) {
		memory.putInt(VERSION_OFFSET, VERSION);
		memory.putInt(CAPACITY_OFFSET, capacity);
		memory.putInt(MAX_MESSAGE_SIZE_OFFSET, maxMessageSize);
		memory.putInt(SERVER_PID_OFFSET, (int) ProcessHandle.current().pid());
		memory.putIntVolatile(MAGIC_OFFSET, MAGIC);
	}

}
