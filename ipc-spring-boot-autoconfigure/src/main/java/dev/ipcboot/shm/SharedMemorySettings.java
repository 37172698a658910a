package dev.ipcboot.shm;

import java.util.Set;

/**
 * How to open one segment.
 *
 * @param key the name other processes use: no {@code /}, at most {@value #MAX_KEY_LENGTH}
 * characters
 * @param size the size in bytes to create; when attaching, the least size expected (0
 * accepts any)
 * @param mode create, attach or either
 * @param access read-write or read-only
 * @param permissions permission bits of a created segment, for example {@code 0600}
 * @param persist whether a created segment stays after this process closes it
 * @param backend POSIX, System V, or Qt's naming over System V (Qt 5, Qt 6 before 6.6) or
 * POSIX (Qt 6.6 and later)
 * @param allowedOwners uids besides this process's own that may own a segment, lock or
 * key file this process attaches to rather than creates (empty: only its own)
 */
public record SharedMemorySettings(String key, long size, Mode mode, Access access, int permissions, boolean persist,
		Backend backend, Set<Integer> allowedOwners) {

	/** Longest key accepted (Qt's key file name must stay under 255 characters). */
	public static final int MAX_KEY_LENGTH = 180;

	/**
	 * Check the settings.
	 * @throws IllegalArgumentException naming the key and the fix
	 */
	public SharedMemorySettings {
		validateKey(key);
		if (size < 0 || (size == 0 && mode != Mode.ATTACH)) {
			throw new IllegalArgumentException("Shared memory '" + key + "' has size " + size
					+ "; a segment that is created needs a positive size such as 4KB");
		}
		if ((permissions & ~0777) != 0) {
			throw new IllegalArgumentException("Shared memory '" + key + "' has permissions 0"
					+ Integer.toOctalString(permissions) + "; use octal permission bits such as 0600");
		}
		allowedOwners = Set.copyOf(allowedOwners);
	}

	/**
	 * Settings that trust no other owner.
	 * @param key the key
	 * @param size the size in bytes
	 * @param mode create, attach or either
	 * @param access read-write or read-only
	 * @param permissions permission bits
	 * @param persist whether a created segment outlives its creator
	 * @param backend the backend
	 */
	public SharedMemorySettings(String key, long size, Mode mode, Access access, int permissions, boolean persist,
			Backend backend) {
		this(key, size, mode, access, permissions, persist, backend, Set.of());
	}

	/**
	 * A copy that trusts other owners.
	 * @param allowedOwners uids besides this process's own that may own what it attaches
	 * to
	 * @return the new settings
	 */
	public SharedMemorySettings withAllowedOwners(Set<Integer> allowedOwners) {
		return new SharedMemorySettings(this.key, this.size, this.mode, this.access, this.permissions, this.persist,
				this.backend, allowedOwners);
	}

	/**
	 * Settings with the secure defaults: create or attach, read-write, 0600, removed on
	 * close, POSIX.
	 * @param key the key
	 * @param size the size in bytes
	 * @return the settings
	 */
	public static SharedMemorySettings of(String key, long size) {
		return new SharedMemorySettings(key, size, Mode.CREATE_OR_ATTACH, Access.READ_WRITE, 0600, false,
				Backend.POSIX);
	}

	/**
	 * Settings to attach to an existing segment of any size, read-write, POSIX.
	 * @param key the key
	 * @return the settings
	 */
	public static SharedMemorySettings attach(String key) {
		return new SharedMemorySettings(key, 0, Mode.ATTACH, Access.READ_WRITE, 0600, false, Backend.POSIX);
	}

	/**
	 * A copy with another mode.
	 * @param mode the mode
	 * @return the new settings
	 */
	public SharedMemorySettings withMode(Mode mode) {
		return new SharedMemorySettings(this.key, this.size, mode, this.access, this.permissions, this.persist,
				this.backend, this.allowedOwners);
	}

	/**
	 * A copy with another access.
	 * @param access the access
	 * @return the new settings
	 */
	public SharedMemorySettings withAccess(Access access) {
		return new SharedMemorySettings(this.key, this.size, this.mode, access, this.permissions, this.persist,
				this.backend, this.allowedOwners);
	}

	/**
	 * A copy with another backend.
	 * @param backend the backend
	 * @return the new settings
	 */
	public SharedMemorySettings withBackend(Backend backend) {
		return new SharedMemorySettings(this.key, this.size, this.mode, this.access, this.permissions, this.persist,
				backend, this.allowedOwners);
	}

	/**
	 * A copy that persists or not.
	 * @param persist whether a created segment outlives its creator
	 * @return the new settings
	 */
	public SharedMemorySettings withPersist(boolean persist) {
		return new SharedMemorySettings(this.key, this.size, this.mode, this.access, this.permissions, persist,
				this.backend, this.allowedOwners);
	}

	static void validateKey(String key) {
		if (key.isEmpty()) {
			throw new IllegalArgumentException("Shared memory key is empty; give it a name such as 'frames'");
		}
		if (key.indexOf('/') >= 0 || key.indexOf('\0') >= 0) {
			throw new IllegalArgumentException(
					"Shared memory key '" + key + "' contains '/' or NUL; use a plain name such as 'frames'");
		}
		if (key.equals(".") || key.equals("..")) {
			throw new IllegalArgumentException("Shared memory key '" + key
					+ "' names a directory, which the system refuses as a segment name; use a plain name such as "
					+ "'frames'");
		}
		if (key.length() > MAX_KEY_LENGTH) {
			throw new IllegalArgumentException("Shared memory key '" + key.substring(0, 20) + "...' is " + key.length()
					+ " characters long; use at most " + MAX_KEY_LENGTH);
		}
	}

	/** How a segment is opened. */
	public enum Mode {

		/**
		 * Create it; a left-over segment nobody uses is replaced, a used one is an error.
		 */
		CREATE,

		/** Attach to an existing segment; none is an error. */
		ATTACH,

		/** Attach if it exists, else create it. */
		CREATE_OR_ATTACH

	}

	/** What this process may do with the bytes. */
	public enum Access {

		/** Read and write. */
		READ_WRITE,

		/** Read only: mapped without write permission. */
		READ_ONLY

	}

	/** Which operating system facility holds the segment. */
	public enum Backend {

		/**
		 * POSIX {@code shm_open}: {@code /dev/shm/<key>}, what Python's
		 * {@code multiprocessing.shared_memory} uses; the lock is an exclusive
		 * {@code flock} on it.
		 */
		POSIX,

		/**
		 * System V {@code shmget} keyed by {@code ftok} of
		 * {@code <temp dir>/ipcboot_shm_<key>}; the lock is a System V semaphore with
		 * {@code SEM_UNDO}.
		 */
		SYSTEM_V,

		/**
		 * System V with Qt's key files, so that a QSharedMemory with the same key shares
		 * it: what Qt 5, Qt 6 before 6.6, and the string constructor of later Qt 6 use.
		 */
		QT,

		/**
		 * POSIX as Qt 6.6 and later name it for
		 * {@code QSharedMemory::platformSafeKey(key)}: the segment {@code /dev/shm/<key>}
		 * and, as its lock, the POSIX named semaphore {@code /dev/shm/sem.<key>} (initial
		 * value 1, taken with {@code sem_wait}). A holder that dies leaves that lock
		 * taken; waiting callers release it once they can prove the holder is gone.
		 */
		QT_POSIX

	}

}
