package dev.ipcboot.shm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.ipcboot.internal.natives.IpcNatives;
import dev.ipcboot.internal.natives.Leftovers;
import dev.ipcboot.internal.natives.NativeCallException;
import dev.ipcboot.semaphore.internal.QtKeyFiles;

import static dev.ipcboot.internal.natives.NativeCallException.Condition.EXISTS;
import static dev.ipcboot.internal.natives.NativeCallException.Condition.INVALID_ARGUMENT;
import static dev.ipcboot.internal.natives.NativeCallException.Condition.REMOVED;

/**
 * The lock of a System V segment: a one-unit System V semaphore operated with
 * {@code SEM_UNDO}, as Qt's QSharedMemory does. The kernel reverts the operations of a
 * process that dies, so a holder's {@code kill -9} frees the lock.
 */
final class SegmentLock {

	private final String key;

	private final Path file;

	private final char projectId;

	private final SharedMemorySettings settings;

	private volatile int id;

	private volatile boolean owner;

	private boolean createdFile;

	private SegmentLock(SharedMemorySettings settings, Path file, char projectId) {
		this.key = settings.key();
		this.file = file;
		this.projectId = projectId;
		this.settings = settings;
	}

	/**
	 * @param reset whether the segment was just created, so that a semaphore left by a
	 * crashed process is reset to 1 and adopted
	 */
	static SegmentLock open(SharedMemorySettings settings, Path file, char projectId, boolean reset) {
		SegmentLock lock = new SegmentLock(settings, file, projectId);
		try {
			lock.connect(reset);
		}
		catch (RuntimeException ex) {
			if (lock.createdFile) {
				SystemVSegment.deleteQuietly(file, ex);
			}
			throw ex;
		}
		return lock;
	}

	private synchronized void connect(boolean reset) {
		boolean newFile = QtKeyFiles.createKeyFile(this.file);
		this.createdFile |= newFile;
		if (!newFile) {
			OwnerCheck.checkKeyFile(this.settings, "The lock key file of shared memory '" + this.key + "'", this.file);
		}
		int semKey = IpcNatives.ftok(this.file, this.projectId);
		try {
			this.id = IpcNatives.semGet(semKey, true, this.settings.permissions(), this.key);
			this.owner = true;
			track();
			IpcNatives.semSetValue(this.id, 1, this.key);
		}
		catch (NativeCallException ex) {
			if (!ex.is(EXISTS)) {
				throw ex;
			}
			int existing = IpcNatives.semGet(semKey, false, 0, this.key);
			OwnerCheck.check(this.settings, "The lock of shared memory '" + this.key + "'",
					"System V semaphore " + existing + ", key file " + this.file, "ipcrm -s " + existing,
					IpcNatives.semOwner(existing, this.key), this.settings.permissions());
			this.id = existing;
			if (reset) {
				IpcNatives.semSetValue(this.id, 1, this.key);
				this.owner = true;
				this.createdFile = true;
			}
			track();
		}
	}

	// what close() removes, so that the next start reclaims it after a crash
	private void track() {
		if (this.settings.persist()) {
			return;
		}
		if (this.owner) {
			Leftovers.created(Leftovers.Kind.SYSV_SEM, Integer.toString(this.id));
		}
		if (this.createdFile || this.owner) {
			Leftovers.created(Leftovers.Kind.FILE, this.file.toString());
		}
	}

	void lock() {
		try {
			IpcNatives.semChange(this.id, -1, 0, this.key);
		}
		catch (NativeCallException ex) {
			reconnectIfRemoved(ex);
			IpcNatives.semChange(this.id, -1, 0, this.key);
		}
	}

	void unlock() {
		try {
			IpcNatives.semChange(this.id, 1, 0, this.key);
		}
		catch (NativeCallException ex) {
			reconnectIfRemoved(ex);
		}
	}

	/**
	 * The process that created the semaphore removes it when it leaves (Qt does the
	 * same); the others recreate it on their next use, as Qt's QSystemSemaphore does.
	 */
	private void reconnectIfRemoved(NativeCallException ex) {
		if (!ex.is(REMOVED, INVALID_ARGUMENT)) {
			throw ex;
		}
		synchronized (this) {
			connect(false);
		}
	}

	void close(boolean persist) {
		Leftovers.removed(Leftovers.Kind.SYSV_SEM, Integer.toString(this.id));
		Leftovers.removed(Leftovers.Kind.FILE, this.file.toString());
		if (persist) {
			return;
		}
		if (this.owner) {
			try {
				IpcNatives.semRemove(this.id, this.key);
			}
			catch (NativeCallException ex) {
				if (!ex.is(INVALID_ARGUMENT, REMOVED)) {
					throw ex;
				}
			}
		}
		if (this.createdFile || this.owner) {
			try {
				Files.deleteIfExists(this.file);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Could not remove the lock key file of shared memory '" + this.key + "'",
						ex);
			}
		}
	}

}
