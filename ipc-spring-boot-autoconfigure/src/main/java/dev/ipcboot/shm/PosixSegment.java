package dev.ipcboot.shm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.ipcboot.internal.natives.IpcNatives;
import dev.ipcboot.internal.natives.Leftovers;
import dev.ipcboot.internal.natives.NativeCallException;
import dev.ipcboot.internal.natives.Ownership;
import dev.ipcboot.shm.SharedMemorySettings.Access;
import dev.ipcboot.shm.SharedMemorySettings.Mode;

import static dev.ipcboot.internal.natives.NativeCallException.Condition.EXISTS;
import static dev.ipcboot.internal.natives.NativeCallException.Condition.NOT_FOUND;

/**
 * A POSIX segment ({@code shm_open} + {@code mmap}), named {@code /<key>}, the object
 * Python's {@code multiprocessing.shared_memory} opens with the same name.
 *
 * <p>
 * The lock is an exclusive {@code flock} on the segment's own file descriptor, not a
 * POSIX semaphore: the kernel drops a {@code flock} when its holder dies, so a
 * {@code kill -9} cannot leave the segment locked, and it needs no second named object
 * that could leak. A robust pthread mutex would avoid the system call when uncontended,
 * but it would have to live inside the segment (so foreign peers no longer see our bytes
 * at offset 0) and could only be unlocked by the thread that locked it.
 */
final class PosixSegment implements Segment {

	private static final Path DEV_SHM = Path.of("/dev/shm");

	private final String name;

	private final int fd;

	private final long address;

	private final long size;

	private final boolean created;

	private final boolean sharedLifetime;

	private PosixSegment(String name, int fd, long address, long size, boolean created, boolean sharedLifetime) {
		this.name = name;
		this.fd = fd;
		this.address = address;
		this.size = size;
		this.created = created;
		this.sharedLifetime = sharedLifetime;
	}

	static PosixSegment open(SharedMemorySettings settings) {
		String name = "/" + settings.key();
		boolean readOnly = settings.access() == Access.READ_ONLY;
		for (int attempt = 0; attempt < 3; attempt++) {
			if (settings.mode() != Mode.ATTACH) {
				try {
					return create(settings, name, readOnly);
				}
				catch (NativeCallException ex) {
					if (!ex.is(EXISTS)) {
						throw ex;
					}
				}
				if (settings.mode() == Mode.CREATE) {
					removeIfAbandoned(settings, name);
					continue;
				}
			}
			try {
				return attach(settings, name, readOnly);
			}
			catch (NativeCallException ex) {
				if (!ex.is(NOT_FOUND) || settings.mode() == Mode.ATTACH) {
					throw ex;
				}
			}
		}
		throw new SharedMemoryException(settings.key(),
				"Shared memory '" + settings.key()
						+ "' kept appearing and disappearing while it was opened; another process is creating and "
						+ "removing it in a loop");
	}

	private static PosixSegment create(SharedMemorySettings settings, String name, boolean readOnly) {
		checkSpace(settings);
		int fd = IpcNatives.shmOpen(name, true, false, settings.permissions());
		try {
			// the mode passed to shm_open is narrowed by the umask; set the exact bits
			IpcNatives.chmod(fd, settings.permissions(), name);
			IpcNatives.allocate(fd, settings.size(), name);
			IpcNatives.markInUse(fd, name);
			if (settings.mode() == Mode.CREATE_OR_ATTACH) {
				IpcNatives.markSharer(fd, name);
			}
			long address = IpcNatives.map(fd, settings.size(), readOnly, name);
			if (!settings.persist()) {
				Leftovers.created(Leftovers.Kind.POSIX_SHM, name);
			}
			return new PosixSegment(name, fd, address, settings.size(), true, settings.mode() == Mode.CREATE_OR_ATTACH);
		}
		catch (RuntimeException ex) {
			IpcNatives.close(fd, name);
			IpcNatives.shmUnlink(name);
			throw ex;
		}
	}

	private static PosixSegment attach(SharedMemorySettings settings, String name, boolean readOnly) {
		int fd = IpcNatives.shmOpen(name, false, readOnly, 0);
		try {
			checkOwner(settings, fd);
			long size = IpcNatives.size(fd, name);
			if (size == 0 || size < settings.size()) {
				throw new SharedMemoryException(settings.key(),
						"Shared memory '" + settings.key() + "' is " + size
								+ " bytes, smaller than the configured size " + settings.size()
								+ "; configure the size its creator used (or 0 to accept any), or use mode create "
								+ "to replace a segment that a crashed process left behind");
			}
			IpcNatives.markInUse(fd, name);
			if (settings.mode() == Mode.CREATE_OR_ATTACH) {
				IpcNatives.markSharer(fd, name);
			}
			long address = IpcNatives.map(fd, size, readOnly, name);
			if (settings.mode() == Mode.CREATE_OR_ATTACH && !settings.persist()) {
				// the last of the create-or-attach processes removes it, so each records
				// it
				Leftovers.created(Leftovers.Kind.POSIX_SHM, name);
			}
			return new PosixSegment(name, fd, address, size, false, settings.mode() == Mode.CREATE_OR_ATTACH);
		}
		catch (RuntimeException ex) {
			IpcNatives.close(fd, name);
			throw ex;
		}
	}

	/**
	 * Create mode found a segment: replace it if no live process has it open (a crashed
	 * creator's leftover), refuse otherwise.
	 */
	private static void removeIfAbandoned(SharedMemorySettings settings, String name) {
		int fd;
		try {
			fd = IpcNatives.shmOpen(name, false, true, 0);
		}
		catch (NativeCallException ex) {
			if (ex.is(NOT_FOUND)) {
				return;
			}
			throw ex;
		}
		try {
			checkOwner(settings, fd);
			if (IpcNatives.inUseByOthers(fd, name)) {
				throw new SharedMemoryException(settings.key(), "Shared memory '" + settings.key()
						+ "' already exists and another process has it open; use mode create-or-attach or attach "
						+ "to share it, or choose another key");
			}
			IpcNatives.shmUnlink(name);
		}
		finally {
			IpcNatives.close(fd, name);
		}
	}

	/**
	 * Refuse a segment that exists already unless this user (or an allowed one) owns it
	 * with no looser mode than configured: {@code fstat} of the open descriptor, so the
	 * answer is about the segment that is then mapped.
	 * @return its size
	 */
	static long checkOwner(SharedMemorySettings settings, int fd) {
		String name = "/" + settings.key();
		Ownership.Owner owner;
		try {
			owner = Ownership.ofDescriptor(fd, name);
		}
		catch (UncheckedIOException ex) {
			throw new SharedMemoryException(settings.key(), ex.getMessage(), ex);
		}
		OwnerCheck.check(settings, "Shared memory '" + settings.key() + "'", DEV_SHM + name, "rm " + DEV_SHM + name,
				owner, settings.permissions());
		return IpcNatives.size(fd, name);
	}

	/**
	 * Open an existing segment read-only just to check its owner.
	 * @return its size
	 * @throws NativeCallException ENOENT if there is none
	 */
	static long checkExisting(SharedMemorySettings settings) {
		String name = "/" + settings.key();
		int fd = IpcNatives.shmOpen(name, false, true, 0);
		try {
			return checkOwner(settings, fd);
		}
		finally {
			IpcNatives.close(fd, name);
		}
	}

	private static void checkSpace(SharedMemorySettings settings) {
		long free;
		try {
			free = Files.getFileStore(DEV_SHM).getUsableSpace();
		}
		catch (IOException ex) {
			// no early check then: posix_fallocate still refuses a size that does not fit
			return;
		}
		if (settings.size() > free) {
			throw new SharedMemoryException(settings.key(),
					"Shared memory '" + settings.key() + "' of " + settings.size() + " bytes does not fit in " + DEV_SHM
							+ " (" + free + " bytes free); choose a smaller size or enlarge " + DEV_SHM);
		}
	}

	@Override
	public String nativeKey() {
		return this.name;
	}

	@Override
	public long address() {
		return this.address;
	}

	@Override
	public long size() {
		return this.size;
	}

	@Override
	public boolean created() {
		return this.created;
	}

	@Override
	public void lock() {
		IpcNatives.flockExclusive(this.fd, this.name);
	}

	@Override
	public void unlock() {
		IpcNatives.flockRelease(this.fd, this.name);
	}

	/**
	 * Unmap and close; a created segment is removed unless it persists. In
	 * {@code create-or-attach} mode the segment belongs to every process that opened it
	 * that way, whoever created it: the last of them to leave removes it (checked with
	 * the sharer mark of every other open descriptor, before this one is closed), so
	 * instances of an application can stop in any order without removing it under the
	 * others. Descriptors opened in {@code attach} mode do not share the lifetime: they
	 * neither keep the segment nor remove it, as with the creator before.
	 */
	@Override
	public void close(boolean persist) {
		if (this.created || this.sharedLifetime) {
			Leftovers.removed(Leftovers.Kind.POSIX_SHM, this.name);
		}
		boolean remove = false;
		try {
			IpcNatives.unmap(this.address, this.size, this.name);
		}
		finally {
			try {
				if (!persist) {
					remove = this.sharedLifetime ? !IpcNatives.otherSharers(this.fd, this.name) : this.created;
				}
			}
			finally {
				IpcNatives.close(this.fd, this.name);
			}
			if (remove) {
				unlink();
			}
		}
	}

	private void unlink() {
		try {
			IpcNatives.shmUnlink(this.name);
		}
		catch (NativeCallException ex) {
			// a create-mode process may already have replaced our segment after a restart
			if (!ex.is(NOT_FOUND)) {
				throw ex;
			}
		}
	}

}
