package dev.ipcboot.shm;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.ipcboot.internal.natives.Leftovers;
import dev.ipcboot.internal.natives.NamedSemaphore;
import dev.ipcboot.internal.natives.NativeCallException;
import dev.ipcboot.internal.natives.Ownership;

import static dev.ipcboot.internal.natives.NativeCallException.Condition.EXISTS;

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

	/** Handles of this process holding each lock, by semaphore name. */
	private static final Map<String, AtomicInteger> heldHere = new ConcurrentHashMap<>();

	private final String key;

	private final NamedSemaphore semaphore;

	private boolean owner;

	private QtPosixLock(String key, NamedSemaphore semaphore) {
		this.key = key;
		this.semaphore = semaphore;
		this.owner = semaphore.created();
	}

	/**
	 * Open the lock as QSharedMemory's attach does (create it with value 1 if missing),
	 * or, with {@code reset}, as its create does (replace whatever is there).
	 */
	static QtPosixLock open(SharedMemorySettings settings, String name, boolean reset) {
		String key = settings.key();
		try {
			NamedSemaphore semaphore = NamedSemaphore.open(name, settings.permissions(), 1, reset);
			if (!semaphore.created()) {
				checkOwner(settings, semaphore);
			}
			else if (!settings.persist()) {
				Leftovers.created(Leftovers.Kind.POSIX_SEM, name);
			}
			return new QtPosixLock(key, semaphore);
		}
		catch (NativeCallException ex) {
			if (!ex.is(EXISTS)) {
				throw ex;
			}
			throw new SharedMemoryException(key,
					"The lock semaphore " + name + " of shared memory '" + key
							+ "' kept appearing and disappearing while it was opened; another process creates and "
							+ "removes it in a loop",
					ex);
		}
		catch (UncheckedIOException ex) {
			throw new SharedMemoryException(key,
					"Could not create the lock of shared memory '" + key + "': " + ex.getMessage(), ex);
		}
	}

	/** Refuse a lock semaphore that another user could have planted (and closes it). */
	private static void checkOwner(SharedMemorySettings settings, NamedSemaphore semaphore) {
		try {
			Ownership.Owner owner;
			try {
				owner = semaphore.owner();
			}
			catch (UncheckedIOException ex) {
				throw new SharedMemoryException(settings.key(), ex.getMessage(), ex);
			}
			OwnerCheck.check(settings, "The lock of shared memory '" + settings.key() + "'",
					semaphore.file().toString(), "rm " + semaphore.file(), owner, settings.permissions());
		}
		catch (RuntimeException ex) {
			semaphore.close(false);
			throw ex;
		}
	}

	/**
	 * Wait for the lock, looking for a dead holder every so often.
	 * @throws IllegalStateException if the lock is closed meanwhile
	 */
	void lock() {
		Duration interval = FIRST_CHECK;
		while (!this.semaphore.acquire(interval.toNanos())) {
			releaseIfHolderIsGone();
			interval = (interval.compareTo(MAX_CHECK.dividedBy(2)) > 0) ? MAX_CHECK : interval.multipliedBy(2);
		}
		heldHere.computeIfAbsent(this.semaphore.name(), (name) -> new AtomicInteger()).incrementAndGet();
	}

	void unlock() {
		heldHere.get(this.semaphore.name()).decrementAndGet();
		this.semaphore.release();
	}

	/**
	 * Give the lock back if no live process can hold it.
	 * @return whether it was given back
	 */
	boolean releaseIfHolderIsGone() {
		AtomicInteger here = heldHere.get(this.semaphore.name());
		if ((here != null && here.get() > 0) || this.semaphore.value() != 0) {
			return false;
		}
		Path file = this.semaphore.file();
		Optional<Set<Long>> first = MappingProcesses.onlyWaiters(file);
		Optional<Set<Long>> second = first.isPresent() ? MappingProcesses.onlyWaiters(file) : Optional.empty();
		if (second.isEmpty() || !second.equals(first) || this.semaphore.value() != 0) {
			return false;
		}
		this.semaphore.release();
		logger.warn("The lock of shared memory '" + this.key + "' (" + file + ") was held by a process that "
				+ "no longer exists; released it"
				+ (second.get().isEmpty() ? "" : " (processes still waiting for it: " + second.get() + ")"));
		return true;
	}

	/**
	 * Take over removing the semaphore: the process that creates a segment owns its lock,
	 * as a Qt creator (whose create replaces the semaphore) does.
	 */
	void adopt() {
		this.owner = true;
	}

	void close(boolean persist) {
		Leftovers.removed(Leftovers.Kind.POSIX_SEM, this.semaphore.name());
		this.semaphore.close(this.owner && !persist);
	}

}
