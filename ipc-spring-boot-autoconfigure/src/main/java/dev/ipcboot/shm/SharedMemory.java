package dev.ipcboot.shm;

import java.nio.ByteBuffer;
import java.util.function.Supplier;

/**
 * A shared memory segment mapped into this process, modelled on Qt's QSharedMemory. Other
 * processes that use the same {@link #key()} (and backend) see the same bytes.
 * {@link #lock()} excludes every other holder of the lock in any process, and is released
 * by the kernel if its holder dies.
 *
 * <p>
 * Configured segments are beans qualified by their name in {@code ipc.shared-memory};
 * {@link SharedMemoryFactory} opens more at run time.
 */
public interface SharedMemory extends AutoCloseable {

	/**
	 * The key that other processes use.
	 * @return the key
	 */
	String key();

	/**
	 * The name the operating system knows the segment by: {@code /key} for POSIX
	 * ({@code /dev/shm/key}), the key file for System V and Qt.
	 * @return the native key
	 */
	String nativeKey();

	/**
	 * The size of the segment.
	 * @return the size in bytes
	 */
	long size();

	/**
	 * Whether the segment is still mapped; false after {@link #close()}.
	 * @return whether attached
	 */
	boolean isAttached();

	/**
	 * Take the cross-process lock of this segment, waiting as long as it takes. The lock
	 * is not reentrant, as Qt's is not. If the process holding it dies, the kernel
	 * releases it.
	 * @throws SharedMemoryException if the segment is closed or the lock cannot be taken
	 */
	void lock();

	/**
	 * Release the lock taken by {@link #lock()}.
	 * @throws IllegalStateException if the lock is not held in this process
	 */
	void unlock();

	/**
	 * Run an action under the lock, always unlocking afterwards.
	 * @param <T> the result type
	 * @param action what to do while holding the lock
	 * @return what the action returned
	 */
	default <T> T withLock(Supplier<T> action) {
		lock();
		try {
			return action.get();
		}
		finally {
			unlock();
		}
	}

	/**
	 * Run an action under the lock, always unlocking afterwards.
	 * @param action what to do while holding the lock
	 */
	default void withLock(Runnable action) {
		lock();
		try {
			action.run();
		}
		finally {
			unlock();
		}
	}

	/**
	 * Copy bytes out of the segment.
	 * @param offset where to start
	 * @param length how many bytes
	 * @return a new array with the bytes
	 * @throws IndexOutOfBoundsException if the range is not inside the segment (nothing
	 * is read)
	 * @throws SharedMemoryException if the segment is closed
	 */
	byte[] read(long offset, int length);

	/**
	 * Copy bytes into the segment.
	 * @param offset where to start
	 * @param bytes what to write
	 * @throws IndexOutOfBoundsException if the range is not inside the segment (nothing
	 * is written)
	 * @throws SharedMemoryException if the segment is attached read-only or closed
	 */
	void write(long offset, byte[] bytes);

	/**
	 * A view of the whole segment with its own position and limit, read-only when the
	 * segment is attached read-only. It must not be used after {@link #close()}.
	 * @return a direct buffer over the mapped memory
	 * @throws SharedMemoryException if the segment is closed or larger than a buffer can
	 * address (2 GiB)
	 */
	ByteBuffer buffer();

	/**
	 * Detach the segment; if this process created it and it is not configured to persist,
	 * remove it too. Further calls do nothing.
	 */
	@Override
	void close();

}
