package dev.ipcboot.internal.natives;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/**
 * An open POSIX named semaphore ({@code /dev/shm/sem.<name>}), opened the way Qt's
 * QSystemSemaphore opens one, and safe to close while other threads wait on it.
 *
 * <p>
 * Waits are made in slices of {@value #SLICE_MILLIS} ms: {@link #close} marks it closed,
 * waits for the waiting threads to leave, and only then unmaps it ({@code sem_close}), so
 * a blocked thread never touches unmapped memory.
 */
public final class NamedSemaphore {

	/** Longest single {@code sem_clockwait}, and so the longest delay of a close. */
	static final long SLICE_MILLIS = 100;

	private static final long SLICE_NANOS = SLICE_MILLIS * 1_000_000;

	private final String name;

	private final long handle;

	private final boolean created;

	private volatile boolean closed;

	private int waiting;

	private NamedSemaphore(String name, long handle, boolean created) {
		this.name = name;
		this.handle = handle;
		this.created = created;
	}

	/**
	 * Open a semaphore, creating it with the initial value and the exact permission bits
	 * if it does not exist, as QSystemSemaphore's {@code Open} mode does; with
	 * {@code replace}, first unlink whatever has the name, as its {@code Create} mode
	 * does.
	 * @param name the POSIX name, {@code /} and the key
	 * @param permissions permission bits of a new semaphore, whatever the umask
	 * @param initialValue value of a new semaphore
	 * @param replace whether to unlink an existing one first
	 * @return the open semaphore
	 * @throws NativeCallException if it cannot be opened (EEXIST if another process keeps
	 * creating and removing it)
	 * @throws UncheckedIOException if the permissions of a new one cannot be set (it is
	 * removed again)
	 */
	public static NamedSemaphore open(String name, int permissions, int initialValue, boolean replace) {
		if (replace) {
			unlink(name);
		}
		NativeCallException last = null;
		for (int attempt = 0; attempt < 3; attempt++) {
			try {
				NamedSemaphore semaphore = new NamedSemaphore(name,
						PosixIpc.semOpen(name, PosixIpc.O_CREAT | PosixIpc.O_EXCL, permissions, initialValue), true);
				semaphore.setPermissions(permissions);
				return semaphore;
			}
			catch (NativeCallException ex) {
				if (!ex.is(NativeCallException.Condition.EXISTS)) {
					throw ex;
				}
				last = ex;
			}
			try {
				requireSemaphoreSized(name);
				return new NamedSemaphore(name, PosixIpc.semOpen(name, 0, 0, 0), false);
			}
			catch (NativeCallException ex) {
				// removed between the two calls: create it after all
				if (!ex.is(NativeCallException.Condition.NOT_FOUND)) {
					throw ex;
				}
			}
		}
		throw last;
	}

	/**
	 * Refuse a file at the semaphore's name too short to hold one: {@code sem_open} maps
	 * an existing file without looking at its size, and the first {@code sem_wait} on an
	 * empty one kills the process with {@code SIGBUS} (a file truncated or planted by
	 * another process of the same user, or an unrelated {@code /dev/shm/sem.<key>}).
	 * Nothing can be known of a file that is gone meanwhile: then {@code sem_open} says
	 * so.
	 * @throws UncheckedIOException naming the file and its size
	 */
	private static void requireSemaphoreSized(String name) {
		Path file = Path.of("/dev/shm", "sem." + name.substring(1));
		long size;
		try {
			size = Files
				.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
				.size();
		}
		catch (IOException ex) {
			return;
		}
		if (size < MIN_SEMAPHORE_BYTES) {
			String problem = file + " is not a POSIX semaphore: it has " + size + " bytes (a semaphore has "
					+ MIN_SEMAPHORE_BYTES + " or more); opening it would crash the process. Remove it (rm " + file
					+ ") if nothing else uses it, or choose another key";
			throw new UncheckedIOException(problem, new IOException(problem));
		}
	}

	/** {@code sizeof(sem_t)} of 32-bit glibc; 64-bit glibc and musl write 32 bytes. */
	static final int MIN_SEMAPHORE_BYTES = 16;

	/**
	 * {@code sem_unlink}, where a missing semaphore is no error.
	 * @param name the POSIX name
	 */
	public static void unlink(String name) {
		try {
			PosixIpc.semUnlink(name);
		}
		catch (NativeCallException ex) {
			if (!ex.is(NativeCallException.Condition.NOT_FOUND)) {
				throw ex;
			}
		}
	}

	private void setPermissions(int permissions) {
		Set<PosixFilePermission> bits = EnumSet.noneOf(PosixFilePermission.class);
		PosixFilePermission[] all = PosixFilePermission.values();
		for (int bit = 0; bit < 9; bit++) {
			if ((permissions & (0400 >> bit)) != 0) {
				bits.add(all[bit]);
			}
		}
		try {
			Files.setPosixFilePermissions(file(), bits);
		}
		catch (IOException ex) {
			close(true);
			throw new UncheckedIOException("Could not set the permissions of " + file(), ex);
		}
	}

	/**
	 * The POSIX name.
	 * @return the name, starting with {@code /}
	 */
	public String name() {
		return this.name;
	}

	/**
	 * The file that holds it.
	 * @return {@code /dev/shm/sem.<key>}
	 */
	public Path file() {
		return Path.of("/dev/shm", "sem." + this.name.substring(1));
	}

	/**
	 * The owner and mode of the semaphore this handle has mapped. {@code sem_open} gives
	 * no descriptor to {@code fstat}, so the inode of this handle's mapping (from
	 * {@code /proc/self/maps}) is compared with that of {@link #file()}: a name replaced
	 * since it was opened is an error, never someone else's answer.
	 * @return its owner and mode
	 * @throws UncheckedIOException if it cannot be read or the name now holds another
	 * semaphore
	 */
	public Ownership.Owner owner() {
		String start = Long.toHexString(this.handle) + "-";
		long mapped = -1;
		try (var lines = Files.lines(Path.of("/proc/self/maps"))) {
			// start-end perms offset dev inode path
			mapped = lines.filter((line) -> line.startsWith(start))
				.mapToLong((line) -> Long.parseLong(line.split("\\s+", 6)[4]))
				.findFirst()
				.orElse(-1);
			Object inode = Files.getAttribute(file(), "unix:ino", LinkOption.NOFOLLOW_LINKS);
			if (mapped < 0 || mapped != (Long) inode) {
				throw new IOException("the semaphore was replaced while it was opened");
			}
			return Ownership.ofFile(file());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read the owner of " + file(), ex);
		}
	}

	/**
	 * Whether this call created it (so it is ours to remove).
	 * @return whether it was created by {@link #open}
	 */
	public boolean created() {
		return this.created;
	}

	/**
	 * Take one unit, waiting at most the timeout.
	 * @param timeoutNanos how long to wait; {@link Long#MAX_VALUE} waits as long as it
	 * takes
	 * @return whether a unit was taken
	 * @throws IllegalStateException if it is or gets closed while waiting
	 * @throws NativeCallException if the wait fails
	 */
	public boolean acquire(long timeoutNanos) {
		enter();
		try {
			boolean forever = timeoutNanos == Long.MAX_VALUE;
			long deadline = System.nanoTime() + (forever ? 0 : timeoutNanos);
			while (true) {
				long left = forever ? SLICE_NANOS : deadline - System.nanoTime();
				if (PosixIpc.semWait(this.handle, Math.max(0, Math.min(left, SLICE_NANOS)), this.name)) {
					break;
				}
				checkOpen();
				if (!forever && left <= SLICE_NANOS) {
					return false;
				}
			}
			if (this.closed) {
				PosixIpc.semPost(this.handle, this.name);
				checkOpen();
			}
			return true;
		}
		finally {
			leave();
		}
	}

	/**
	 * Give back one unit ({@code sem_post}).
	 */
	public void release() {
		PosixIpc.semPost(this.handle, this.name);
	}

	/**
	 * {@code sem_getvalue}.
	 * @return the current value
	 */
	public int value() {
		return PosixIpc.semValue(this.handle, this.name);
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
			throw new IllegalStateException("Semaphore " + this.name + " was closed while waiting for it");
		}
	}

	/**
	 * Close it once no thread waits on it any more (they leave within
	 * {@value #SLICE_MILLIS} ms), and unlink it if asked.
	 * @param unlink whether to remove the name too
	 */
	public void close(boolean unlink) {
		synchronized (this) {
			if (this.closed) {
				return;
			}
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
			PosixIpc.semClose(this.handle, this.name);
		}
		finally {
			if (unlink) {
				unlink(this.name);
			}
		}
	}

}
