package dev.ipcboot.shm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.ipcboot.internal.natives.IpcNatives.SegmentStatus;
import dev.ipcboot.internal.natives.IpcNatives;
import dev.ipcboot.internal.natives.Leftovers;
import dev.ipcboot.internal.natives.NativeCallException;
import dev.ipcboot.shm.SharedMemorySettings.Access;
import dev.ipcboot.shm.SharedMemorySettings.Backend;
import dev.ipcboot.shm.SharedMemorySettings.Mode;
import dev.ipcboot.semaphore.internal.QtKeyFiles;

import static dev.ipcboot.internal.natives.NativeCallException.Condition.EXISTS;
import static dev.ipcboot.internal.natives.NativeCallException.Condition.INVALID_ARGUMENT;
import static dev.ipcboot.internal.natives.NativeCallException.Condition.NOT_FOUND;
import static dev.ipcboot.internal.natives.NativeCallException.Condition.REMOVED;

/**
 * A System V segment ({@code shmget} + {@code shmat}) whose lock is a System V semaphore
 * operated with {@code SEM_UNDO}, so that the kernel gives the lock back when its holder
 * dies. With {@link Backend#QT} the key files, keys and semaphore are exactly those of
 * Qt's QSharedMemory, so Qt programs share both the bytes and the lock.
 */
final class SystemVSegment implements Segment {

	private final String key;

	private final Path keyFile;

	private final int id;

	private final long address;

	private final long size;

	private final boolean created;

	private final SegmentLock lock;

	private SystemVSegment(String key, Path keyFile, int id, long address, long size, boolean created,
			SegmentLock lock) {
		this.key = key;
		this.keyFile = keyFile;
		this.id = id;
		this.address = address;
		this.size = size;
		this.created = created;
		this.lock = lock;
	}

	static SystemVSegment open(SharedMemorySettings settings) {
		boolean qt = settings.backend() == Backend.QT;
		String key = settings.key();
		Path keyFile = qt ? QtKeyFiles.qtKeyFile(QtKeyFiles.QT_SHARED_MEMORY_PREFIX, key)
				: QtKeyFiles.tempDirectory().resolve("ipcboot_shm_" + key);
		Path lockFile = qt ? QtKeyFiles.qtKeyFile(QtKeyFiles.QT_SYSTEM_SEMAPHORE_PREFIX, key) : keyFile;
		boolean createdKeyFile = QtKeyFiles.createKeyFile(keyFile);
		int id = -1;
		boolean created = false;
		try {
			if (!createdKeyFile) {
				OwnerCheck.checkKeyFile(settings, "The key file of shared memory '" + key + "'", keyFile);
			}
			int shmKey = IpcNatives.ftok(keyFile, qt ? 'Q' : 'M');
			for (int attempt = 0; attempt < 3 && id < 0; attempt++) {
				if (settings.mode() != Mode.ATTACH) {
					try {
						id = IpcNatives.shmGet(shmKey, settings.size(), true, settings.permissions(), key);
						created = true;
						if (!settings.persist()) {
							Leftovers.created(Leftovers.Kind.SYSV_SHM, Integer.toString(id));
							Leftovers.created(Leftovers.Kind.FILE, keyFile.toString());
						}
						break;
					}
					catch (NativeCallException ex) {
						if (!ex.is(EXISTS)) {
							throw ex;
						}
					}
				}
				try {
					int existing = IpcNatives.shmGet(shmKey, 0, false, 0, key);
					OwnerCheck.check(settings, "Shared memory '" + key + "'",
							"System V segment " + existing + ", key file " + keyFile, "ipcrm -m " + existing,
							IpcNatives.shmStat(existing, key).owner(), settings.permissions());
					if (settings.mode() == Mode.CREATE) {
						removeIfAbandoned(existing, key);
					}
					else if (settings.mode() == Mode.CREATE_OR_ATTACH && isAbandonedAndTooSmall(existing, settings)) {
						// a crashed creator's smaller segment must not stop a start with
						// a new size
						IpcNatives.shmRemove(existing, key);
					}
					else {
						id = existing;
					}
				}
				catch (NativeCallException ex) {
					if (!ex.is(NOT_FOUND) || settings.mode() == Mode.ATTACH) {
						throw ex;
					}
				}
			}
			if (id < 0) {
				throw new SharedMemoryException(key, "Shared memory '" + key
						+ "' kept appearing and disappearing while it was opened; another process is creating and "
						+ "removing it in a loop");
			}
			long size = IpcNatives.shmStat(id, key).size();
			if (size < settings.size()) {
				throw new SharedMemoryException(key,
						"Shared memory '" + key + "' is " + size + " bytes, smaller than the configured size "
								+ settings.size() + "; configure the size its creator used (or 0 to accept any)");
			}
			SegmentLock lock = SegmentLock.open(settings, lockFile, qt ? 'Q' : 'L', created);
			long address;
			try {
				address = IpcNatives.shmAttach(id, settings.access() == Access.READ_ONLY, key);
			}
			catch (RuntimeException ex) {
				lock.close(false);
				throw ex;
			}
			return new SystemVSegment(key, keyFile, id, address, size, created, lock);
		}
		catch (RuntimeException ex) {
			if (created) {
				IpcNatives.shmRemove(id, key);
				Leftovers.removed(Leftovers.Kind.SYSV_SHM, Integer.toString(id));
			}
			if (createdKeyFile || created) {
				deleteQuietly(keyFile, ex);
			}
			throw ex;
		}
	}

	/** Create mode: replace a segment nobody is attached to, refuse one in use. */
	private static void removeIfAbandoned(int id, String key) {
		SegmentStatus status = IpcNatives.shmStat(id, key);
		if (status.attachCount() > 0) {
			throw new SharedMemoryException(key,
					"Shared memory '" + key + "' already exists and " + status.attachCount()
							+ " process(es) are attached; use mode create-or-attach or attach to share it, "
							+ "or choose another key");
		}
		IpcNatives.shmRemove(id, key);
	}

	private static boolean isAbandonedAndTooSmall(int id, SharedMemorySettings settings) {
		SegmentStatus status = IpcNatives.shmStat(id, settings.key());
		return status.attachCount() == 0 && status.size() < settings.size();
	}

	static void deleteQuietly(Path file, RuntimeException failure) {
		try {
			Files.deleteIfExists(file);
		}
		catch (IOException ex) {
			failure.addSuppressed(ex);
		}
	}

	@Override
	public String nativeKey() {
		return this.keyFile.toString();
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
		this.lock.lock();
	}

	@Override
	public void unlock() {
		this.lock.unlock();
	}

	@Override
	public void close(boolean persist) {
		Leftovers.removed(Leftovers.Kind.SYSV_SHM, Integer.toString(this.id));
		Leftovers.removed(Leftovers.Kind.FILE, this.keyFile.toString());
		try {
			IpcNatives.shmDetach(this.address, this.key);
			if (!persist) {
				removeSegment();
			}
		}
		finally {
			this.lock.close(persist);
		}
	}

	/**
	 * Like Qt, the last process to detach removes the segment and its key file; a creator
	 * that leaves while others are attached marks it for removal after their detach.
	 */
	private void removeSegment() {
		long attached;
		try {
			attached = IpcNatives.shmStat(this.id, this.key).attachCount();
		}
		catch (NativeCallException ex) {
			if (ex.is(INVALID_ARGUMENT, REMOVED)) {
				return;
			}
			throw ex;
		}
		if (attached == 0 || this.created) {
			IpcNatives.shmRemove(this.id, this.key);
			try {
				Files.deleteIfExists(this.keyFile);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Could not remove the key file of shared memory '" + this.key + "'", ex);
			}
		}
	}

}
