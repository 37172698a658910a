package dev.ipcboot.shm;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.ipcboot.internal.natives.IpcNatives;
import dev.ipcboot.internal.natives.NativeCallException;
import dev.ipcboot.shm.SharedMemorySettings.Mode;

import static dev.ipcboot.internal.natives.NativeCallException.Condition.NOT_FOUND;

/**
 * A segment shared with Qt 6.6 and later under a POSIX key
 * ({@code QSharedMemory::platformSafeKey(key)}, {@code posix:/<key>}): the mapping of a
 * {@link PosixSegment} named {@code /<key>}, guarded by Qt's lock, a {@link QtPosixLock}
 * of the same name. As in QSharedMemory, the segment is created and attached to while
 * holding that lock, and {@code create} mode first replaces the lock semaphore.
 *
 * <p>
 * Qt never removes a POSIX segment on Linux, so one left behind is normal: {@code create}
 * and {@code create-or-attach} replace it when no live process has it mapped and it is in
 * the way (create mode, or smaller than the configured size). A segment this process
 * created is removed when it closes, unless it persists; Qt programs still attached keep
 * their mapping.
 */
final class QtPosixSegment implements Segment {

	private static final Path DEV_SHM = Path.of("/dev/shm");

	private final PosixSegment segment;

	private final QtPosixLock lock;

	private QtPosixSegment(PosixSegment segment, QtPosixLock lock) {
		this.segment = segment;
		this.lock = lock;
	}

	static QtPosixSegment open(SharedMemorySettings settings) {
		String key = settings.key();
		Path file = DEV_SHM.resolve(key);
		boolean create = settings.mode() == Mode.CREATE;
		if (create && Files.exists(file) && MappingProcesses.mapped(file)) {
			// checked before Qt's create replaces the lock, which would split it
			throw inUse(key);
		}
		QtPosixLock lock = QtPosixLock.open(settings, "/" + key, create);
		try {
			lock.lock();
			try {
				removeIfInTheWay(settings, file);
				PosixSegment segment = PosixSegment.open(settings);
				if (segment.created()) {
					lock.adopt();
				}
				return new QtPosixSegment(segment, lock);
			}
			finally {
				lock.unlock();
			}
		}
		catch (RuntimeException ex) {
			try {
				lock.close(false);
			}
			catch (RuntimeException closeFailure) {
				ex.addSuppressed(closeFailure);
			}
			throw ex;
		}
	}

	private static void removeIfInTheWay(SharedMemorySettings settings, Path file) {
		if (settings.mode() == Mode.ATTACH || !Files.exists(file)) {
			return;
		}
		long size;
		try {
			size = PosixSegment.checkExisting(settings);
		}
		catch (NativeCallException ex) {
			if (ex.is(NOT_FOUND)) {
				return;
			}
			throw ex;
		}
		boolean inUse = MappingProcesses.mapped(file);
		if (settings.mode() == Mode.CREATE) {
			if (inUse) {
				throw inUse(settings.key());
			}
		}
		else if (inUse || size >= settings.size()) {
			return;
		}
		try {
			IpcNatives.shmUnlink("/" + settings.key());
		}
		catch (NativeCallException ex) {
			if (!ex.is(NOT_FOUND)) {
				throw ex;
			}
		}
	}

	private static SharedMemoryException inUse(String key) {
		return new SharedMemoryException(key,
				"Shared memory '" + key
						+ "' already exists and a process has it mapped; use mode create-or-attach or attach to "
						+ "share it, or choose another key");
	}

	@Override
	public String nativeKey() {
		return this.segment.nativeKey();
	}

	@Override
	public long address() {
		return this.segment.address();
	}

	@Override
	public long size() {
		return this.segment.size();
	}

	@Override
	public boolean created() {
		return this.segment.created();
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
		try {
			this.segment.close(persist);
		}
		finally {
			this.lock.close(persist);
		}
	}

}
