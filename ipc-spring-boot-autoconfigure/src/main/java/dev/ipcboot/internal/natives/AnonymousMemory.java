package dev.ipcboot.internal.natives;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

import com.sun.jna.Pointer;

/**
 * Memory without a name ({@code memfd_create}), mapped shared: reachable by another
 * process only through its descriptor, passed over a Unix-domain socket. Released by the
 * kernel when the last mapping and descriptor are gone, so a crash leaves nothing behind.
 */
public final class AnonymousMemory implements AutoCloseable {

	private final String name;

	private final int fd;

	private final long address;

	private final long size;

	private final ByteBuffer buffer;

	private final AtomicBoolean closed = new AtomicBoolean();

	private AnonymousMemory(String name, int fd, long address, long size) {
		this.name = name;
		this.fd = fd;
		this.address = address;
		this.size = size;
		this.buffer = new Pointer(address).getByteBuffer(0, size);
	}

	/**
	 * Create and map new memory, zero-filled.
	 * @param name a name for {@code /proc/<pid>/fd} and for messages
	 * @param size the size in bytes
	 * @return the mapped memory
	 * @throws NativeCallException if the memory cannot be created or mapped
	 */
	public static AnonymousMemory create(String name, long size) {
		int fd = RingCalls.memfd(name, size);
		try {
			return new AnonymousMemory(name, fd, RingCalls.map(fd, size, name), size);
		}
		catch (RuntimeException ex) {
			RingCalls.closeQuietly(fd);
			throw ex;
		}
	}

	/**
	 * Map memory whose descriptor another process passed; this object owns the descriptor
	 * from now on.
	 * @param fd the descriptor
	 * @param name a name for messages
	 * @return the mapped memory, its size the descriptor's
	 * @throws NativeCallException if it cannot be mapped (the descriptor is then closed)
	 */
	public static AnonymousMemory map(int fd, String name) {
		try {
			long size = RingCalls.size(fd, name);
			return new AnonymousMemory(name, fd, RingCalls.map(fd, size, name), size);
		}
		catch (RuntimeException ex) {
			RingCalls.closeQuietly(fd);
			throw ex;
		}
	}

	/**
	 * The mapping as a direct buffer; invalid after {@link #close()}.
	 * @return the buffer
	 */
	public ByteBuffer buffer() {
		return this.buffer;
	}

	/**
	 * The descriptor, to pass to the peer.
	 * @return the descriptor
	 */
	public int fd() {
		return this.fd;
	}

	/**
	 * The size in bytes.
	 * @return the size
	 */
	public long size() {
		return this.size;
	}

	/**
	 * Unmap and close the descriptor; the memory is freed when the peer has done the
	 * same. Touching {@link #buffer()} afterwards crashes the JVM, so callers close only
	 * once no thread of theirs uses it.
	 */
	@Override
	public void close() {
		if (this.closed.compareAndSet(false, true)) {
			try {
				RingCalls.unmap(this.address, this.size, this.name);
			}
			finally {
				RingCalls.closeQuietly(this.fd);
			}
		}
	}

}
