package dev.ipcboot.internal.natives;

import java.nio.ByteBuffer;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * POSIX shared memory ({@code shm_open}, {@code mmap}), POSIX named semaphores and file
 * locks, bound to libc with JNA direct mapping. The only place that turns their errno
 * into a {@link NativeCallException}.
 */
final class PosixIpc {

	static final int O_RDONLY = 0;

	static final int O_RDWR = 2;

	static final int O_CREAT = 0100;

	static final int O_EXCL = 0200;

	private static final int PROT_READ = 1;

	private static final int PROT_WRITE = 2;

	private static final int MAP_SHARED = 1;

	private static final int SEEK_END = 2;

	private static final int LOCK_EX = 2;

	private static final int LOCK_UN = 8;

	private static final int F_OFD_GETLK = 36;

	private static final int F_OFD_SETLK = 37;

	private static final short F_RDLCK = 0;

	private static final short F_WRLCK = 1;

	private static final short F_UNLCK = 2;

	/** Byte whose shared OFD lock marks "a live process has this segment open". */
	private static final long PRESENCE_BYTE = Long.MAX_VALUE - 1;

	/** Marked by the descriptors that share a segment's lifetime (create-or-attach). */
	private static final long SHARER_BYTE = Long.MAX_VALUE - 2;

	private static final int CLOCK_MONOTONIC = 1;

	static {
		Native.register(PosixIpc.class, Platform.C_LIBRARY_NAME);
	}

	private PosixIpc() {
	}

	private static native int geteuid();

	private static native int shm_open(String name, int oflag, int mode) throws LastErrorException;

	private static native int shm_unlink(String name) throws LastErrorException;

	private static native int ftruncate(int fd, long length) throws LastErrorException;

	private static native int posix_fallocate(int fd, long offset, long length);

	private static native Pointer mmap(Pointer address, long length, int prot, int flags, int fd, long offset)
			throws LastErrorException;

	private static native int munmap(Pointer address, long length) throws LastErrorException;

	private static native long lseek(int fd, long offset, int whence) throws LastErrorException;

	private static native int fchmod(int fd, int mode) throws LastErrorException;

	private static native int close(int fd) throws LastErrorException;

	private static native int flock(int fd, int operation) throws LastErrorException;

	private static native int fcntl(int fd, int cmd, Pointer lock) throws LastErrorException;

	private static native Pointer sem_open(String name, int oflag, int mode, int value) throws LastErrorException;

	private static native int sem_close(Pointer sem) throws LastErrorException;

	private static native int sem_unlink(String name) throws LastErrorException;

	private static native int sem_wait(Pointer sem) throws LastErrorException;

	private static native int sem_clockwait(Pointer sem, int clock, long[] absTime) throws LastErrorException;

	private static native int sem_post(Pointer sem) throws LastErrorException;

	private static native int sem_getvalue(Pointer sem, int[] value) throws LastErrorException;

	static int effectiveUid() {
		return geteuid();
	}

	static int shmOpen(String name, int flags, int mode) {
		try {
			return shm_open(name, flags, mode);
		}
		catch (LastErrorException ex) {
			throw new NativeCallException("shm_open", name, ex.getErrorCode());
		}
	}

	static void shmUnlink(String name) {
		try {
			shm_unlink(name);
		}
		catch (LastErrorException ex) {
			throw new NativeCallException("shm_unlink", name, ex.getErrorCode());
		}
	}

	static void allocate(int fd, long size, String name) {
		try {
			ftruncate(fd, size);
		}
		catch (LastErrorException ex) {
			throw new NativeCallException("ftruncate", name, ex.getErrorCode());
		}
		// reserve the pages now: a sparse tmpfs file that later runs out of space
		// would kill the process with SIGBUS on first touch instead of failing here
		int error = posix_fallocate(fd, 0, size);
		if (error != 0) {
			throw new NativeCallException("posix_fallocate", name, error);
		}
	}

	static long size(int fd, String name) {
		try {
			return lseek(fd, 0, SEEK_END);
		}
		catch (LastErrorException ex) {
			throw new NativeCallException("lseek", name, ex.getErrorCode());
		}
	}

	static void chmod(int fd, int mode, String name) {
		try {
			fchmod(fd, mode);
		}
		catch (LastErrorException ex) {
			throw new NativeCallException("fchmod", name, ex.getErrorCode());
		}
	}

	static void closeFd(int fd, String name) {
		try {
			close(fd);
		}
		catch (LastErrorException ex) {
			throw new NativeCallException("close", name, ex.getErrorCode());
		}
	}

	static long map(int fd, long size, boolean readOnly, String name) {
		try {
			int prot = readOnly ? PROT_READ : PROT_READ | PROT_WRITE;
			return Pointer.nativeValue(mmap(null, size, prot, MAP_SHARED, fd, 0));
		}
		catch (LastErrorException ex) {
			throw new NativeCallException("mmap", name, ex.getErrorCode());
		}
	}

	static void unmap(long address, long size, String name) {
		try {
			munmap(new Pointer(address), size);
		}
		catch (LastErrorException ex) {
			throw new NativeCallException("munmap", name, ex.getErrorCode());
		}
	}

	static ByteBuffer buffer(long address, int size, boolean readOnly) {
		ByteBuffer buffer = new Pointer(address).getByteBuffer(0, size);
		return readOnly ? buffer.asReadOnlyBuffer() : buffer;
	}

	static void copyOut(long address, long offset, byte[] target, int length) {
		new Pointer(address).read(offset, target, 0, length);
	}

	static void copyIn(long address, long offset, byte[] source) {
		new Pointer(address).write(offset, source, 0, source.length);
	}

	static void lockExclusive(int fd, String name) {
		flockRetrying(fd, LOCK_EX, name);
	}

	static void unlockExclusive(int fd, String name) {
		flockRetrying(fd, LOCK_UN, name);
	}

	private static void flockRetrying(int fd, int operation, String name) {
		while (true) {
			try {
				flock(fd, operation);
				return;
			}
			catch (LastErrorException ex) {
				if (ex.getErrorCode() != Errno.EINTR) {
					throw new NativeCallException("flock", name, ex.getErrorCode());
				}
			}
		}
	}

	static void markPresent(int fd, String name) {
		markByte(fd, name, PRESENCE_BYTE);
	}

	static void markSharer(int fd, String name) {
		markByte(fd, name, SHARER_BYTE);
	}

	private static void markByte(int fd, String name, long position) {
		try (Memory lock = flockStruct(F_RDLCK, position)) {
			fcntl(fd, F_OFD_SETLK, lock);
		}
		catch (LastErrorException ex) {
			throw new NativeCallException("fcntl(F_OFD_SETLK)", name, ex.getErrorCode());
		}
	}

	static boolean othersPresent(int fd, String name) {
		return othersMarked(fd, name, PRESENCE_BYTE);
	}

	static boolean otherSharersPresent(int fd, String name) {
		return othersMarked(fd, name, SHARER_BYTE);
	}

	private static boolean othersMarked(int fd, String name, long position) {
		try (Memory lock = flockStruct(F_WRLCK, position)) {
			fcntl(fd, F_OFD_GETLK, lock);
			return lock.getShort(0) != F_UNLCK;
		}
		catch (LastErrorException ex) {
			throw new NativeCallException("fcntl(F_OFD_GETLK)", name, ex.getErrorCode());
		}
	}

	private static Memory flockStruct(short type, long position) {
		// struct flock on 64-bit Linux: short l_type, short l_whence, off_t l_start @8,
		// off_t l_len @16, pid_t l_pid @24 (must be 0 for OFD locks)
		Memory lock = new Memory(32);
		lock.clear();
		lock.setShort(0, type);
		lock.setLong(8, position);
		lock.setLong(16, 1);
		return lock;
	}

	static long semOpen(String name, int flags, int mode, int value) {
		try {
			return Pointer.nativeValue(sem_open(name, flags, mode, value));
		}
		catch (LastErrorException ex) {
			throw new NativeCallException("sem_open", name, ex.getErrorCode());
		}
	}

	static void semClose(long sem, String name) {
		try {
			sem_close(new Pointer(sem));
		}
		catch (LastErrorException ex) {
			throw new NativeCallException("sem_close", name, ex.getErrorCode());
		}
	}

	static void semUnlink(String name) {
		try {
			sem_unlink(name);
		}
		catch (LastErrorException ex) {
			throw new NativeCallException("sem_unlink", name, ex.getErrorCode());
		}
	}

	static void semWait(long sem, String name) {
		Pointer pointer = new Pointer(sem);
		while (true) {
			try {
				sem_wait(pointer);
				return;
			}
			catch (LastErrorException ex) {
				if (ex.getErrorCode() != Errno.EINTR) {
					throw new NativeCallException("sem_wait", name, ex.getErrorCode());
				}
			}
		}
	}

	static boolean semWait(long sem, long timeoutNanos, String name) {
		Pointer pointer = new Pointer(sem);
		// System.nanoTime() reads CLOCK_MONOTONIC on Linux, so the deadline needs no call
		long deadline = System.nanoTime() + Math.max(0, timeoutNanos);
		long[] absTime = { deadline / 1_000_000_000L, deadline % 1_000_000_000L };
		while (true) {
			try {
				sem_clockwait(pointer, CLOCK_MONOTONIC, absTime);
				return true;
			}
			catch (LastErrorException ex) {
				if (ex.getErrorCode() == Errno.ETIMEDOUT) {
					return false;
				}
				if (ex.getErrorCode() != Errno.EINTR) {
					throw new NativeCallException("sem_clockwait", name, ex.getErrorCode());
				}
			}
		}
	}

	static void semPost(long sem, String name) {
		try {
			sem_post(new Pointer(sem));
		}
		catch (LastErrorException ex) {
			throw new NativeCallException("sem_post", name, ex.getErrorCode());
		}
	}

	static int semValue(long sem, String name) {
		int[] value = new int[1];
		try {
			sem_getvalue(new Pointer(sem), value);
			return value[0];
		}
		catch (LastErrorException ex) {
			throw new NativeCallException("sem_getvalue", name, ex.getErrorCode());
		}
	}

}
