package dev.ipcboot.internal.natives;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * System V shared memory and semaphores ({@code shmget}, {@code semget}, {@code ftok}),
 * bound to libc with JNA direct mapping. The only place that turns their errno into a
 * {@link NativeCallException}.
 */
final class SystemVIpc {

	static final int IPC_CREAT = 01000;

	static final int IPC_EXCL = 02000;

	private static final int IPC_RMID = 0;

	private static final int IPC_STAT = 2;

	private static final int SHM_RDONLY = 010000;

	private static final int GETVAL = 12;

	private static final int SETVAL = 16;

	private static final short SEM_UNDO = 0x1000;

	private static final short IPC_NOWAIT = 04000;

	/**
	 * The largest value a System V semaphore, and a process's undo record of it, can
	 * hold.
	 */
	private static final int SEMVMX = 32767;

	private static final short[] DOWN = { 0, -1, SEM_UNDO };

	private static final short[] UP = { 0, 1, SEM_UNDO };

	/** sizeof(struct shmid_ds) on 64-bit Linux, rounded up. */
	private static final int SHMID_DS_SIZE = 128;

	/** sizeof(struct semid_ds) on 64-bit Linux, rounded up. */
	private static final int SEMID_DS_SIZE = 128;

	static {
		Native.register(SystemVIpc.class, Platform.C_LIBRARY_NAME);
	}

	private SystemVIpc() {
	}

	private static native int ftok(String path, int projectId) throws LastErrorException;

	private static native int shmget(int key, long size, int flags) throws LastErrorException;

	private static native Pointer shmat(int id, Pointer address, int flags) throws LastErrorException;

	private static native int shmdt(Pointer address) throws LastErrorException;

	private static native int shmctl(int id, int command, Pointer buffer) throws LastErrorException;

	private static native int semget(int key, int count, int flags) throws LastErrorException;

	private static native int semop(int id, short[] operations, long count) throws LastErrorException;

	private static native int semtimedop(int id, short[] operations, long count, long[] timeout)
			throws LastErrorException;

	private static native int semctl(int id, int number, int command, long argument) throws LastErrorException;

	static int key(String path, char projectId) {
		try {
			return ftok(path, projectId);
		}
		catch (LastErrorException ex) {
			throw new NativeCallException("ftok", path, ex.getErrorCode());
		}
	}

	static int shmGet(int key, long size, int flags, String name) {
		try {
			return shmget(key, size, flags);
		}
		catch (LastErrorException ex) {
			throw new NativeCallException("shmget", name, ex.getErrorCode());
		}
	}

	static long shmAttach(int id, boolean readOnly, String name) {
		try {
			return Pointer.nativeValue(shmat(id, null, readOnly ? SHM_RDONLY : 0));
		}
		catch (LastErrorException ex) {
			throw new NativeCallException("shmat", name, ex.getErrorCode());
		}
	}

	static void shmDetach(long address, String name) {
		try {
			shmdt(new Pointer(address));
		}
		catch (LastErrorException ex) {
			throw new NativeCallException("shmdt", name, ex.getErrorCode());
		}
	}

	/**
	 * {@code shmctl(IPC_STAT)}: segment size, attach count, mode, owner uid, creator uid,
	 * creator pid and key.
	 */
	static long[] shmStat(int id, String name) {
		try (Memory buffer = new Memory(SHMID_DS_SIZE)) {
			shmctl(id, IPC_STAT, buffer);
			// struct shmid_ds on 64-bit Linux: ipc_perm (uid @4, cuid @12, mode @20) then
			// shm_segsz @48, shm_cpid @80, shm_nattch @88; the key is ipc_perm's first
			// field
			return new long[] { buffer.getLong(48), buffer.getLong(88), buffer.getShort(20) & 0777,
					Integer.toUnsignedLong(buffer.getInt(4)), Integer.toUnsignedLong(buffer.getInt(12)),
					buffer.getInt(80), buffer.getInt(0) };
		}
		catch (LastErrorException ex) {
			throw new NativeCallException("shmctl(IPC_STAT)", name, ex.getErrorCode());
		}
	}

	static void shmRemove(int id, String name) {
		try {
			shmctl(id, IPC_RMID, null);
		}
		catch (LastErrorException ex) {
			throw new NativeCallException("shmctl(IPC_RMID)", name, ex.getErrorCode());
		}
	}

	static int semGet(int key, int flags, String name) {
		try {
			return semget(key, 1, flags);
		}
		catch (LastErrorException ex) {
			throw new NativeCallException("semget", name, ex.getErrorCode());
		}
	}

	static void semChange(int id, int undoDelta, int plainDelta, String name) {
		short[] operations = operations(undoDelta, plainDelta);
		while (true) {
			try {
				semop(id, operations, operations.length / 3);
				return;
			}
			catch (LastErrorException ex) {
				if (ex.getErrorCode() != Errno.EINTR) {
					throw new NativeCallException("semop", name, ex.getErrorCode());
				}
			}
		}
	}

	static boolean semChange(int id, int undoDelta, long timeoutNanos, String name) {
		short[] operations = operations(undoDelta, 0);
		long deadline = System.nanoTime() + timeoutNanos;
		long[] timeout = new long[2];
		while (true) {
			long left = Math.max(0, deadline - System.nanoTime());
			timeout[0] = left / 1_000_000_000L;
			timeout[1] = left % 1_000_000_000L;
			try {
				semtimedop(id, operations, operations.length / 3, timeout);
				return true;
			}
			catch (LastErrorException ex) {
				if (ex.getErrorCode() == Errno.EAGAIN) {
					return false;
				}
				if (ex.getErrorCode() != Errno.EINTR) {
					throw new NativeCallException("semtimedop", name, ex.getErrorCode());
				}
			}
		}
	}

	static int semForgetUndo(int id, int units, String name) {
		int value = semValue(id, name);
		int room = SEMVMX - value;
		short[] operations;
		int count;
		if (room >= value) {
			// +count with SEM_UNDO, then -count without: the value never leaves [value,
			// value + count]
			count = Math.min(units, room);
			operations = new short[] { 0, (short) count, SEM_UNDO, 0, (short) -count, IPC_NOWAIT };
		}
		else {
			// -count without SEM_UNDO, then +count with it: the value never leaves [value
			// - count, value]
			count = Math.min(units, value);
			operations = new short[] { 0, (short) -count, IPC_NOWAIT, 0, (short) count, SEM_UNDO };
		}
		if (count <= 0) {
			return 0;
		}
		try {
			semop(id, operations, 2);
			return count;
		}
		catch (LastErrorException ex) {
			int errno = ex.getErrorCode();
			if (errno == Errno.EAGAIN || errno == Errno.ERANGE || errno == Errno.EINTR) {
				// another process moved the value meanwhile; the next call tries again
				return 0;
			}
			throw new NativeCallException("semop", name, errno);
		}
	}

	private static short[] operations(int undoDelta, int plainDelta) {
		// struct sembuf { unsigned short sem_num; short sem_op; short sem_flg; }
		if (plainDelta == 0 && undoDelta == -1) {
			return DOWN;
		}
		if (plainDelta == 0 && undoDelta == 1) {
			return UP;
		}
		if (plainDelta == 0) {
			return new short[] { 0, (short) undoDelta, SEM_UNDO };
		}
		if (undoDelta == 0) {
			return new short[] { 0, (short) plainDelta, 0 };
		}
		return new short[] { 0, (short) undoDelta, SEM_UNDO, 0, (short) plainDelta, 0 };
	}

	static int semValue(int id, String name) {
		try {
			return semctl(id, 0, GETVAL, 0);
		}
		catch (LastErrorException ex) {
			throw new NativeCallException("semctl(GETVAL)", name, ex.getErrorCode());
		}
	}

	/**
	 * {@code semctl(IPC_STAT)}: mode, owner uid, creator uid and key.
	 */
	static long[] semStat(int id, String name) {
		try (Memory buffer = new Memory(SEMID_DS_SIZE)) {
			semctl(id, 0, IPC_STAT, Pointer.nativeValue(buffer));
			// struct semid_ds on 64-bit Linux starts with ipc_perm (uid @4, cuid @12,
			// mode
			// @20)
			return new long[] { buffer.getShort(20) & 0777, Integer.toUnsignedLong(buffer.getInt(4)),
					Integer.toUnsignedLong(buffer.getInt(12)), buffer.getInt(0) };
		}
		catch (LastErrorException ex) {
			throw new NativeCallException("semctl(IPC_STAT)", name, ex.getErrorCode());
		}
	}

	static void semSetValue(int id, int value, String name) {
		try {
			semctl(id, 0, SETVAL, value);
		}
		catch (LastErrorException ex) {
			throw new NativeCallException("semctl(SETVAL)", name, ex.getErrorCode());
		}
	}

	static void semRemove(int id, String name) {
		try {
			semctl(id, 0, IPC_RMID, 0);
		}
		catch (LastErrorException ex) {
			throw new NativeCallException("semctl(IPC_RMID)", name, ex.getErrorCode());
		}
	}

}
