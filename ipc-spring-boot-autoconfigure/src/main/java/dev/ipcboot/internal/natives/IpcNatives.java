package dev.ipcboot.internal.natives;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * The narrow native surface that shared memory and system semaphores need: POSIX and
 * System V segments, semaphores and the file locks behind a crash-safe segment lock.
 * Every method names the key in the {@link NativeCallException} it throws. Linux, 64-bit.
 */
public final class IpcNatives {

	private IpcNatives() {
	}

	/**
	 * Whether this platform runs the native calls (64-bit Linux).
	 * @return whether shared memory and system semaphores are available
	 */
	public static boolean isSupported() {
		return System.getProperty("os.name", "").toLowerCase().contains("linux")
				&& "64".equals(System.getProperty("sun.arch.data.model", "64"));
	}

	// ---- POSIX shared memory -------------------------------------------------

	/**
	 * {@code shm_open}.
	 * @param name the POSIX name, starting with {@code /}
	 * @param create whether to create it ({@code O_CREAT|O_EXCL}); else open an existing
	 * one
	 * @param readOnly whether to open it read-only
	 * @param mode the permission bits for a new segment
	 * @return the file descriptor
	 */
	public static int shmOpen(String name, boolean create, boolean readOnly, int mode) {
		int flags = (readOnly ? PosixIpc.O_RDONLY : PosixIpc.O_RDWR)
				| (create ? PosixIpc.O_CREAT | PosixIpc.O_EXCL : 0);
		return PosixIpc.shmOpen(name, flags, mode);
	}

	/**
	 * {@code shm_unlink}.
	 * @param name the POSIX name
	 */
	public static void shmUnlink(String name) {
		PosixIpc.shmUnlink(name);
	}

	/**
	 * Set the size of a new segment and reserve its memory ({@code ftruncate},
	 * {@code posix_fallocate}), so that a full {@code /dev/shm} fails here and not with
	 * SIGBUS later.
	 * @param fd the descriptor
	 * @param size the size in bytes
	 * @param name the key for messages
	 */
	public static void allocate(int fd, long size, String name) {
		PosixIpc.allocate(fd, size, name);
	}

	/**
	 * The size of an open segment.
	 * @param fd the descriptor
	 * @param name the key for messages
	 * @return the size in bytes
	 */
	public static long size(int fd, String name) {
		return PosixIpc.size(fd, name);
	}

	/**
	 * {@code fchmod}: the exact permission bits, whatever the umask.
	 * @param fd the descriptor
	 * @param mode the permission bits
	 * @param name the key for messages
	 */
	public static void chmod(int fd, int mode, String name) {
		PosixIpc.chmod(fd, mode, name);
	}

	/**
	 * {@code close}.
	 * @param fd the descriptor
	 * @param name the key for messages
	 */
	public static void close(int fd, String name) {
		PosixIpc.closeFd(fd, name);
	}

	/**
	 * {@code mmap(MAP_SHARED)}, with {@code PROT_READ} only when read-only.
	 * @param fd the descriptor
	 * @param size the length to map
	 * @param readOnly whether to map it read-only
	 * @param name the key for messages
	 * @return the address
	 */
	public static long map(int fd, long size, boolean readOnly, String name) {
		return PosixIpc.map(fd, size, readOnly, name);
	}

	/**
	 * {@code munmap}.
	 * @param address the address {@link #map} returned
	 * @param size the mapped length
	 * @param name the key for messages
	 */
	public static void unmap(long address, long size, String name) {
		PosixIpc.unmap(address, size, name);
	}

	/**
	 * A direct buffer over mapped memory; read-only when the mapping is.
	 * @param address the address of the mapping
	 * @param size its length
	 * @param readOnly whether the buffer refuses writes
	 * @return the buffer
	 */
	public static ByteBuffer buffer(long address, int size, boolean readOnly) {
		return PosixIpc.buffer(address, size, readOnly);
	}

	/**
	 * Copy mapped memory into an array (for mappings a {@link ByteBuffer} cannot span).
	 * @param address the mapping
	 * @param offset where to start, already bounds-checked
	 * @param target the array to fill completely
	 */
	public static void copyOut(long address, long offset, byte[] target) {
		PosixIpc.copyOut(address, offset, target, target.length);
	}

	/**
	 * Copy an array into writable mapped memory (for mappings a {@link ByteBuffer} cannot
	 * span).
	 * @param address the mapping
	 * @param offset where to start, already bounds-checked
	 * @param source the bytes
	 */
	public static void copyIn(long address, long offset, byte[] source) {
		PosixIpc.copyIn(address, offset, source);
	}

	/**
	 * Take the exclusive {@code flock} on a segment's open file description, waiting for
	 * it. The kernel drops it when the process dies.
	 * @param fd the descriptor
	 * @param name the key for messages
	 */
	public static void flockExclusive(int fd, String name) {
		PosixIpc.lockExclusive(fd, name);
	}

	/**
	 * Release the {@code flock} taken by {@link #flockExclusive}.
	 * @param fd the descriptor
	 * @param name the key for messages
	 */
	public static void flockRelease(int fd, String name) {
		PosixIpc.unlockExclusive(fd, name);
	}

	/**
	 * Mark the open file description as in use by a live process: a shared
	 * open-file-description lock on one byte far past the data, which the kernel drops
	 * when the process dies.
	 * @param fd the descriptor
	 * @param name the key for messages
	 */
	public static void markInUse(int fd, String name) {
		PosixIpc.markPresent(fd, name);
	}

	/**
	 * Whether any other open file description (a live process) has marked the file in use
	 * with {@link #markInUse}.
	 * @param fd a descriptor that has not marked it itself
	 * @param name the key for messages
	 * @return whether a live user exists
	 */
	public static boolean inUseByOthers(int fd, String name) {
		return PosixIpc.othersPresent(fd, name);
	}

	/**
	 * Mark the open file description as one of those sharing the file's lifetime (a
	 * second shared lock on another byte, dropped by the kernel when the process dies):
	 * the last of them removes the file, whoever else still has it open.
	 * @param fd the descriptor
	 * @param name the key for messages
	 */
	public static void markSharer(int fd, String name) {
		PosixIpc.markSharer(fd, name);
	}

	/**
	 * Whether any other open file description has marked itself with {@link #markSharer}.
	 * @param fd a descriptor
	 * @param name the key for messages
	 * @return whether another live sharer exists
	 */
	public static boolean otherSharers(int fd, String name) {
		return PosixIpc.otherSharersPresent(fd, name);
	}

	// ---- POSIX named semaphores ---------------------------------------------

	/**
	 * {@code sem_open}.
	 * @param name the POSIX name, starting with {@code /}
	 * @param create whether to create it exclusively ({@code O_CREAT|O_EXCL})
	 * @param mode the permission bits
	 * @param value the initial value of a new semaphore
	 * @return the semaphore handle
	 */
	public static long semOpen(String name, boolean create, int mode, int value) {
		return PosixIpc.semOpen(name, create ? PosixIpc.O_CREAT | PosixIpc.O_EXCL : 0, mode, value);
	}

	/**
	 * {@code sem_close}.
	 * @param sem the handle
	 * @param name the key for messages
	 */
	public static void semClose(long sem, String name) {
		PosixIpc.semClose(sem, name);
	}

	/**
	 * {@code sem_unlink}.
	 * @param name the POSIX name
	 */
	public static void semUnlink(String name) {
		PosixIpc.semUnlink(name);
	}

	/**
	 * {@code sem_wait}, retried on EINTR.
	 * @param sem the handle
	 * @param name the key for messages
	 */
	public static void semWait(long sem, String name) {
		PosixIpc.semWait(sem, name);
	}

	/**
	 * {@code sem_clockwait} on the monotonic clock.
	 * @param sem the handle
	 * @param timeoutNanos how long to wait
	 * @param name the key for messages
	 * @return whether a unit was taken before the timeout
	 */
	public static boolean semWait(long sem, long timeoutNanos, String name) {
		return PosixIpc.semWait(sem, timeoutNanos, name);
	}

	/**
	 * {@code sem_post}.
	 * @param sem the handle
	 * @param name the key for messages
	 */
	public static void semPost(long sem, String name) {
		PosixIpc.semPost(sem, name);
	}

	/**
	 * {@code sem_getvalue}.
	 * @param sem the handle
	 * @param name the key for messages
	 * @return the current value
	 */
	public static int semValue(long sem, String name) {
		return PosixIpc.semValue(sem, name);
	}

	// ---- System V ----------------------------------------------------------

	/**
	 * {@code ftok(file, projectId)}: the System V key of an existing key file.
	 * @param file the key file
	 * @param projectId the project id, {@code 'Q'} for Qt
	 * @return the System V key
	 * @throws NativeCallException if the file does not exist
	 * ({@link NativeCallException.Condition#NOT_FOUND})
	 */
	public static int ftok(Path file, char projectId) {
		return SystemVIpc.key(file.toString(), projectId);
	}

	/**
	 * {@code shmget}.
	 * @param key the System V key
	 * @param size the size for a new segment, 0 to open
	 * @param create whether to create it exclusively
	 * @param mode the permission bits
	 * @param name the key for messages
	 * @return the segment id
	 */
	public static int shmGet(int key, long size, boolean create, int mode, String name) {
		return SystemVIpc.shmGet(key, size, mode | (create ? SystemVIpc.IPC_CREAT | SystemVIpc.IPC_EXCL : 0), name);
	}

	/**
	 * {@code shmat}.
	 * @param id the segment id
	 * @param readOnly whether to attach with {@code SHM_RDONLY}
	 * @param name the key for messages
	 * @return the address
	 */
	public static long shmAttach(int id, boolean readOnly, String name) {
		return SystemVIpc.shmAttach(id, readOnly, name);
	}

	/**
	 * {@code shmdt}.
	 * @param address the attach address
	 * @param name the key for messages
	 */
	public static void shmDetach(long address, String name) {
		SystemVIpc.shmDetach(address, name);
	}

	/**
	 * {@code shmctl(IPC_STAT)}.
	 * @param id the segment id
	 * @param name the key for messages
	 * @return size, attach count and permission bits
	 */
	public static SegmentStatus shmStat(int id, String name) {
		long[] stat = SystemVIpc.shmStat(id, name);
		return new SegmentStatus(stat[0], stat[1], (int) stat[2],
				new Ownership.Owner((int) stat[3], (int) stat[4], (int) stat[2]));
	}

	/**
	 * {@code shmctl(IPC_RMID)}: the segment goes when the last process detaches.
	 * @param id the segment id
	 * @param name the key for messages
	 */
	public static void shmRemove(int id, String name) {
		SystemVIpc.shmRemove(id, name);
	}

	/**
	 * {@code semget} of a one-semaphore set.
	 * @param key the System V key
	 * @param create whether to create it exclusively
	 * @param mode the permission bits
	 * @param name the key for messages
	 * @return the semaphore id
	 */
	public static int semGet(int key, boolean create, int mode, String name) {
		return SystemVIpc.semGet(key, mode | (create ? SystemVIpc.IPC_CREAT | SystemVIpc.IPC_EXCL : 0), name);
	}

	/**
	 * {@code semop}, waiting as long as it takes. The part of the change made with
	 * {@code SEM_UNDO} is reverted by the kernel if this process dies.
	 * @param id the semaphore id
	 * @param undoDelta change made with {@code SEM_UNDO}
	 * @param plainDelta change that survives this process
	 * @param name the key for messages
	 */
	public static void semChange(int id, int undoDelta, int plainDelta, String name) {
		SystemVIpc.semChange(id, undoDelta, plainDelta, name);
	}

	/**
	 * Make up to {@code units} of this process's {@code SEM_UNDO} acquisitions permanent
	 * without changing the semaphore's value: one atomic {@code semop} of {@code +n} with
	 * {@code SEM_UNDO} and {@code -n} without (in the order that keeps the value within
	 * range). The kernel caps a process's undo record at 32767 and fails further
	 * acquisitions with {@code ERANGE}; a consumer that only acquires must shrink it.
	 * @param id the semaphore id
	 * @param units how many units to stop undoing at most
	 * @param name the key for messages
	 * @return how many were made permanent; 0 if other processes moved the value
	 * meanwhile (try again later)
	 */
	public static int semForgetUndo(int id, int units, String name) {
		return SystemVIpc.semForgetUndo(id, units, name);
	}

	/**
	 * {@code semtimedop} with {@code SEM_UNDO}.
	 * @param id the semaphore id
	 * @param undoDelta the change
	 * @param timeoutNanos how long to wait
	 * @param name the key for messages
	 * @return whether the change was made before the timeout
	 */
	public static boolean semChange(int id, int undoDelta, long timeoutNanos, String name) {
		return SystemVIpc.semChange(id, undoDelta, timeoutNanos, name);
	}

	/**
	 * {@code semctl(GETVAL)}.
	 * @param id the semaphore id
	 * @param name the key for messages
	 * @return the value
	 */
	public static int semValue(int id, String name) {
		return SystemVIpc.semValue(id, name);
	}

	/**
	 * {@code semctl(SETVAL)}.
	 * @param id the semaphore id
	 * @param value the new value
	 * @param name the key for messages
	 */
	public static void semSetValue(int id, int value, String name) {
		SystemVIpc.semSetValue(id, value, name);
	}

	/**
	 * {@code semctl(IPC_RMID)}: wakes waiters with EIDRM.
	 * @param id the semaphore id
	 * @param name the key for messages
	 */
	public static void semRemove(int id, String name) {
		SystemVIpc.semRemove(id, name);
	}

	/**
	 * What {@code shmctl(IPC_STAT)} tells about a System V segment.
	 *
	 * @param size the size in bytes
	 * @param attachCount how many attachments it has
	 * @param mode its permission bits
	 * @param owner who owns it
	 */
	public record SegmentStatus(long size, long attachCount, int mode, Ownership.Owner owner) {
	}

	/**
	 * {@code semctl(IPC_STAT)} of a System V semaphore.
	 * @param id the semaphore id
	 * @param name the key for messages
	 * @return its owner, creator and mode
	 */
	public static Ownership.Owner semOwner(int id, String name) {
		long[] stat = SystemVIpc.semStat(id, name);
		return new Ownership.Owner((int) stat[1], (int) stat[2], (int) stat[0]);
	}

}
