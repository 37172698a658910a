package dev.ipcboot.shm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.ipcboot.natives.IpcNatives;
import dev.ipcboot.natives.NativeCallException;

/**
 * The lock of a Qt 6.6+ POSIX segment, as QSharedMemory keeps it: the POSIX named
 * semaphore with the segment's own name ({@code /dev/shm/sem.<key>}), created with value
 * 1, taken with {@code sem_wait} and given back with {@code sem_post}. Whoever created
 * the semaphore removes it when it leaves.
 *
 * <p>
 * Nothing gives such a lock back when its holder dies. A caller waiting for it checks,
 * every so often, whether the holder can still be alive: the value is 0, no other handle
 * of this process holds it, and every other process that has the semaphore mapped is, in
 * two scans of {@code /proc} in a row, the same set of processes with every thread
 * blocked waiting on it. Then no live process holds the lock, and one {@code sem_post}
 * gives it back. See {@link MappingProcesses} for what can and cannot be seen.
 */
final class QtPosixLock {

	private static final Log logger = LogFactory.getLog(QtPosixLock.class);

	/** First wait before looking for a dead holder; doubles up to {@link #MAX_CHECK}. */
	static final Duration FIRST_CHECK = Duration.ofSeconds(1);

	static final Duration MAX_CHECK = Duration.ofSeconds(4);

	/**
	 * Longest single wait, and so longest delay of {@link #close} by a waiting thread.
	 */
	private static final Duration SLICE = Duration.ofMillis(100);

	private static final Path DEV_SHM = Path.of("/dev/shm");

	/** Handles of this process holding each lock, by semaphore name. */
	private static final Map<String, AtomicInteger> heldHere = new ConcurrentHashMap<>();

	private final String key;

	private final String name;

	private final Path file;

	private final long handle;

	private final boolean owner;

	private volatile boolean closed;

	private int waiting;

	private QtPosixLock(String key, String name, long handle, boolean owner) {
		this.key = key;
		this.name = name;
		this.file = DEV_SHM.resolve("sem." + name.substring(1));
		this.handle = handle;
		this.owner = owner;
	}

	/**
	 * Open the lock as QSharedMemory's attach does (create it with value 1 if missing),
	 * or, with {@code reset}, as its create does (replace whatever is there).
	 */
	static QtPosixLock open(String key, String name, int permissions, boolean reset) {
		if (reset) {
			unlinkIfPresent(name);
		}
		for (int attempt = 0; attempt < 3; attempt++) {
			try {
				long handle = IpcNatives.semOpen(name, true, permissions, 1);
				QtPosixLock lock = new QtPosixLock(key, name, handle, true);
				lock.setPermissions(permissions);
				return lock;
			}
			catch (NativeCallException ex) {
				if (ex.errno() != NativeCallException.EEXIST) {
					throw ex;
				}
			}
			try {
				return new QtPosixLock(key, name, IpcNatives.semOpen(name, false, 0, 0), false);
			}
			catch (NativeCallException ex) {
				if (ex.errno() != NativeCallException.ENOENT) {
					throw ex;
				}
			}
		}
		throw new SharedMemoryException(key, "The lock semaphore " + name + " of shared memory '" + key
				+ "' kept appearing and disappearing while it was opened; another process creates and removes it "
				+ "in a loop");
	}

	/** sem_open's mode is narrowed by the umask; set the exact bits on its file. */
	private void setPermissions(int permissions) {
		Set<PosixFilePermission> bits = EnumSet.noneOf(PosixFilePermission.class);
		PosixFilePermission[] all = PosixFilePermission.values();
		for (int bit = 0; bit < 9; bit++) {
			if ((permissions & (0400 >> bit)) != 0) {
				bits.add(all[bit]);
			}
		}
		try {
			Files.setPosixFilePermissions(this.file, bits);
		}
		catch (IOException ex) {
			close(false);
			throw new SharedMemoryException(this.key,
					"Could not set the permissions of " + this.file + ", the lock of shared memory '" + this.key + "'",
					ex);
		}
	}

	/**
	 * Wait for the lock in short slices, so that {@link #close} never unmaps the
	 * semaphore under a waiting thread, and look for a dead holder every so often.
	 */
	void lock() {
		enter();
		try {
			Duration interval = FIRST_CHECK;
			long nextCheck = System.nanoTime() + interval.toNanos();
			while (!IpcNatives.semWait(this.handle, SLICE.toNanos(), this.key)) {
				checkOpen();
				if (System.nanoTime() - nextCheck >= 0) {
					releaseIfHolderIsGone();
					interval = (interval.compareTo(MAX_CHECK.dividedBy(2)) > 0) ? MAX_CHECK : interval.multipliedBy(2);
					nextCheck = System.nanoTime() + interval.toNanos();
				}
			}
			if (this.closed) {
				IpcNatives.semPost(this.handle, this.key);
				checkOpen();
			}
			heldHere.computeIfAbsent(this.name, (name) -> new AtomicInteger()).incrementAndGet();
		}
		finally {
			leave();
		}
	}

	void unlock() {
		heldHere.get(this.name).decrementAndGet();
		IpcNatives.semPost(this.handle, this.key);
	}

	private synchronized void enter() {
		checkOpen();
		this.waiting++;
	}

	private synchronized void leave() {
		this.waiting--;
		notifyAll();
	}

	private void checkOpen() {
		if (this.closed) {
			throw new SharedMemoryException(this.key,
					"Shared memory '" + this.key + "' was closed while waiting for its lock");
		}
	}

	/**
	 * Give the lock back if no live process can hold it.
	 * @return whether it was given back
	 */
	boolean releaseIfHolderIsGone() {
		AtomicInteger here = heldHere.get(this.name);
		if ((here != null && here.get() > 0) || IpcNatives.semValue(this.handle, this.key) != 0) {
			return false;
		}
		Optional<Set<Long>> first = MappingProcesses.onlyWaiters(this.file);
		Optional<Set<Long>> second = first.isPresent() ? MappingProcesses.onlyWaiters(this.file) : Optional.empty();
		if (second.isEmpty() || !second.equals(first) || IpcNatives.semValue(this.handle, this.key) != 0) {
			return false;
		}
		IpcNatives.semPost(this.handle, this.key);
		logger.warn("The lock of shared memory '" + this.key + "' (" + this.file + ") was held by a process that "
				+ "no longer exists; released it"
				+ (second.get().isEmpty() ? "" : " (processes still waiting for it: " + second.get() + ")"));
		return true;
	}

	boolean owner() {
		return this.owner;
	}

	void close(boolean persist) {
		synchronized (this) {
			this.closed = true;
			boolean interrupted = false;
			while (this.waiting > 0) {
				try {
					wait();
				}
				catch (InterruptedException ex) {
					interrupted = true;
				}
			}
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
		try {
			IpcNatives.semClose(this.handle, this.key);
		}
		finally {
			if (this.owner && !persist) {
				unlinkIfPresent(this.name);
			}
		}
	}

	private static void unlinkIfPresent(String name) {
		try {
			IpcNatives.semUnlink(name);
		}
		catch (NativeCallException ex) {
			if (ex.errno() != NativeCallException.ENOENT) {
				throw ex;
			}
		}
	}

}
