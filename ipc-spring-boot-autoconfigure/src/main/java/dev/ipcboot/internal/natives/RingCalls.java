package dev.ipcboot.internal.natives;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * The system calls of a shared-memory channel ({@code memfd_create}, {@code mmap},
 * {@code eventfd}, {@code poll}), bound to libc with JNA direct mapping. The only place
 * that turns their errno into a {@link NativeCallException}.
 */
final class RingCalls {

	static final int MFD_CLOEXEC = 1;

	static final short POLLIN = 1;

	static final short POLLERR = 8;

	static final short POLLHUP = 16;

	private static final int PROT_READ = 1;

	private static final int PROT_WRITE = 2;

	private static final int MAP_SHARED = 1;

	static {
		Native.register(RingCalls.class, Platform.C_LIBRARY_NAME);
	}

	private RingCalls() {
	}

	private static native int memfd_create(String name, int flags) throws LastErrorException;

	private static native int ftruncate(int fd, long length) throws LastErrorException;

	private static native long lseek(int fd, long offset, int whence) throws LastErrorException;

	private static native long mmap(long address, long length, int prot, int flags, int fd, long offset)
			throws LastErrorException;

	private static native int munmap(long address, long length) throws LastErrorException;

	private static native long read(int fd, long buffer, long count) throws LastErrorException;

	private static native int poll(long fds, long nfds, int timeout) throws LastErrorException;

	private static native int close(int fd) throws LastErrorException;

	static int memfd(String name, long size) {
		int fd;
		try {
			fd = memfd_create(name, MFD_CLOEXEC);
		}
		catch (LastErrorException ex) {
			throw new NativeCallException("memfd_create", name, ex.getErrorCode());
		}
		try {
			ftruncate(fd, size);
		}
		catch (LastErrorException ex) {
			closeQuietly(fd);
			throw new NativeCallException("ftruncate", name, ex.getErrorCode());
		}
		return fd;
	}

	static long size(int fd, String name) {
		try {
			return lseek(fd, 0, 2);
		}
		catch (LastErrorException ex) {
			throw new NativeCallException("lseek", name, ex.getErrorCode());
		}
	}

	static long map(int fd, long size, String name) {
		try {
			return mmap(0, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		}
		catch (LastErrorException ex) {
			throw new NativeCallException("mmap", name, ex.getErrorCode());
		}
	}

	static void unmap(long address, long size, String name) {
		try {
			munmap(address, size);
		}
		catch (LastErrorException ex) {
			throw new NativeCallException("munmap", name, ex.getErrorCode());
		}
	}

	/** Reset a non-blocking eventfd's counter (nothing when it is zero). */
	static void drain(int fd, long buffer) {
		try {
			read(fd, buffer, 8);
		}
		catch (LastErrorException ex) {
			if (ex.getErrorCode() != Errno.EAGAIN) {
				throw new NativeCallException("read(eventfd)", Integer.toString(fd), ex.getErrorCode());
			}
		}
	}

	/** {@code poll}; 0 on timeout or when interrupted by a signal. */
	static int poll(long fds, int count, int timeoutMillis, String name) {
		try {
			return poll(fds, count, timeoutMillis);
		}
		catch (LastErrorException ex) {
			if (ex.getErrorCode() == Errno.EINTR) {
				return 0;
			}
			throw new NativeCallException("poll", name, ex.getErrorCode());
		}
	}

	static void closeQuietly(int fd) {
		try {
			close(fd);
		}
		catch (LastErrorException ex) {
			// EBADF or EINTR: the descriptor is gone either way (Linux close semantics)
		}
	}

}
