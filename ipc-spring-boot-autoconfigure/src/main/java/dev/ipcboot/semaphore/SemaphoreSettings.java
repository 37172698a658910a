package dev.ipcboot.semaphore;

import java.util.Set;

/**
 * How to open one system semaphore.
 *
 * @param key the name other processes use: no {@code /}, at most {@value #MAX_KEY_LENGTH}
 * characters
 * @param initialValue the value of a semaphore this process creates (or resets)
 * @param mode open (create if missing) or create (reset to the initial value)
 * @param permissions permission bits of a created semaphore, for example {@code 0600}
 * @param persist whether a created semaphore stays after this process closes it
 * @param backend System V, Qt's System V naming, or POSIX
 * @param allowedOwners uids besides this process's own that may own a semaphore or key
 * file this process opens rather than creates (empty: only its own)
 */
public record SemaphoreSettings(String key, int initialValue, Mode mode, int permissions, boolean persist,
		Backend backend, Set<Integer> allowedOwners) {

	/** Longest key accepted (Qt's key file name must stay under 255 characters). */
	public static final int MAX_KEY_LENGTH = 180;

	/** Largest value a System V semaphore holds (SEMVMX). */
	public static final int MAX_VALUE = 32767;

	/**
	 * Check the settings.
	 * @throws IllegalArgumentException naming the key and the fix
	 */
	public SemaphoreSettings {
		if (key.isEmpty()) {
			throw new IllegalArgumentException("Semaphore key is empty; give it a name such as 'jobs'");
		}
		if (key.indexOf('/') >= 0 || key.indexOf('\0') >= 0) {
			throw new IllegalArgumentException(
					"Semaphore key '" + key + "' contains '/' or NUL; use a plain name such as 'jobs'");
		}
		if (key.equals(".") || key.equals("..")) {
			throw new IllegalArgumentException("Semaphore key '" + key
					+ "' names a directory, which the system refuses as a semaphore name; use a plain name such as "
					+ "'jobs'");
		}
		if (key.length() > MAX_KEY_LENGTH) {
			throw new IllegalArgumentException("Semaphore key '" + key.substring(0, 20) + "...' is " + key.length()
					+ " characters long; use at most " + MAX_KEY_LENGTH);
		}
		if (initialValue < 0 || initialValue > MAX_VALUE) {
			throw new IllegalArgumentException("Semaphore '" + key + "' has initial value " + initialValue
					+ "; use a value from 0 to " + MAX_VALUE);
		}
		if ((permissions & ~0777) != 0) {
			throw new IllegalArgumentException("Semaphore '" + key + "' has permissions 0"
					+ Integer.toOctalString(permissions) + "; use octal permission bits such as 0600");
		}
		allowedOwners = Set.copyOf(allowedOwners);
	}

	/**
	 * Settings that trust no other owner.
	 * @param key the key
	 * @param initialValue the initial value
	 * @param mode open or create
	 * @param permissions permission bits
	 * @param persist whether a created semaphore outlives its creator
	 * @param backend the backend
	 */
	public SemaphoreSettings(String key, int initialValue, Mode mode, int permissions, boolean persist,
			Backend backend) {
		this(key, initialValue, mode, permissions, persist, backend, Set.of());
	}

	/**
	 * A copy that trusts other owners.
	 * @param allowedOwners uids besides this process's own that may own what it opens
	 * @return the new settings
	 */
	public SemaphoreSettings withAllowedOwners(Set<Integer> allowedOwners) {
		return new SemaphoreSettings(this.key, this.initialValue, this.mode, this.permissions, this.persist,
				this.backend, allowedOwners);
	}

	/**
	 * Settings with the defaults: open, 0600, removed on close by its creator, System V.
	 * @param key the key
	 * @param initialValue the initial value
	 * @return the settings
	 */
	public static SemaphoreSettings of(String key, int initialValue) {
		return new SemaphoreSettings(key, initialValue, Mode.OPEN, 0600, false, Backend.SYSTEM_V);
	}

	/**
	 * A copy with another mode.
	 * @param mode the mode
	 * @return the new settings
	 */
	public SemaphoreSettings withMode(Mode mode) {
		return new SemaphoreSettings(this.key, this.initialValue, mode, this.permissions, this.persist, this.backend,
				this.allowedOwners);
	}

	/**
	 * A copy with another backend.
	 * @param backend the backend
	 * @return the new settings
	 */
	public SemaphoreSettings withBackend(Backend backend) {
		return new SemaphoreSettings(this.key, this.initialValue, this.mode, this.permissions, this.persist, backend,
				this.allowedOwners);
	}

	/** Qt's QSystemSemaphore::AccessMode. */
	public enum Mode {

		/** Open it, creating it with the initial value if it does not exist. */
		OPEN,

		/**
		 * Take ownership and reset it to the initial value (a crashed owner's leftover
		 * too).
		 */
		CREATE

	}

	/** Which operating system facility holds the semaphore. */
	public enum Backend {

		/**
		 * System V {@code semget} keyed by {@code ftok} of
		 * {@code <temp dir>/ipcboot_sem_<key>}, operated with {@code SEM_UNDO} so that a
		 * dead process's units come back.
		 */
		SYSTEM_V,

		/**
		 * System V with Qt's key file, so that a QSystemSemaphore with the same key
		 * shares it.
		 */
		QT,

		/**
		 * POSIX named semaphore ({@code /dev/shm/sem.<key>}); units held by a process
		 * that dies are lost, as POSIX semaphores cannot be undone.
		 */
		POSIX

	}

}
