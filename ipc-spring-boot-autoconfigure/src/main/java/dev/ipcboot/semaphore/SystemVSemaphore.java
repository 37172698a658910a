package dev.ipcboot.semaphore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import dev.ipcboot.internal.natives.IpcNatives;
import dev.ipcboot.internal.natives.Leftovers;
import dev.ipcboot.internal.natives.NativeCallException;
import dev.ipcboot.internal.natives.Ownership;
import dev.ipcboot.semaphore.SemaphoreSettings.Backend;
import dev.ipcboot.semaphore.SemaphoreSettings.Mode;
import dev.ipcboot.semaphore.internal.QtKeyFiles;

import static dev.ipcboot.internal.natives.NativeCallException.Condition.EXISTS;
import static dev.ipcboot.internal.natives.NativeCallException.Condition.INVALID_ARGUMENT;
import static dev.ipcboot.internal.natives.NativeCallException.Condition.REMOVED;

/**
 * A System V semaphore, created and owned the way Qt's QSystemSemaphore does it.
 *
 * <p>
 * Every acquisition is made with {@code SEM_UNDO}, so the kernel gives a dead process's
 * units back. A release first cancels this process's own acquisitions (also with
 * {@code SEM_UNDO}, which clears the undo record) and makes the rest without it, so that
 * units a producer releases stay released after the producer exits, where Qt's would
 * vanish with it. A consumer that acquires far more than it releases would hit the
 * kernel's limit of 32767 on its undo record; past {@link #UNDO_LIMIT_GUARD} units its
 * oldest acquisitions are made permanent, so it keeps working.
 */
final class SystemVSemaphore extends AbstractSystemSemaphore {

	/**
	 * The kernel refuses to let a process's undo record pass 32767 units. A handle that
	 * holds this many unreleased units is a consumer, not a lock holder: past this point
	 * its oldest units are made permanent (a crash no longer gives them back).
	 */
	static final int UNDO_LIMIT_GUARD = 30_000;

	/**
	 * Units that stay undoable after winding back: far more than a lock-like use holds.
	 */
	static final int UNDO_KEPT = 1_000;

	private final Path file;

	private final char projectId;

	private final AtomicInteger held = new AtomicInteger();

	private volatile int id;

	private boolean owner;

	private boolean createdFile;

	private SystemVSemaphore(String name, SemaphoreSettings settings, Runnable onClose) {
		super(name, settings, onClose);
		boolean qt = settings.backend() == Backend.QT;
		this.file = qt ? QtKeyFiles.qtKeyFile(QtKeyFiles.QT_SYSTEM_SEMAPHORE_PREFIX, settings.key())
				: QtKeyFiles.tempDirectory().resolve("ipcboot_sem_" + settings.key());
		this.projectId = qt ? 'Q' : 'S';
	}

	static SystemVSemaphore open(String name, SemaphoreSettings settings, Runnable onClose) {
		SystemVSemaphore semaphore = new SystemVSemaphore(name, settings, onClose);
		try {
			semaphore.connect(settings.mode());
		}
		catch (RuntimeException ex) {
			if (semaphore.createdFile) {
				try {
					Files.deleteIfExists(semaphore.file);
				}
				catch (IOException deleteFailure) {
					ex.addSuppressed(deleteFailure);
				}
			}
			throw ex;
		}
		return semaphore;
	}

	private synchronized void connect(Mode mode) {
		String key = key();
		boolean newFile = QtKeyFiles.createKeyFile(this.file);
		this.createdFile |= newFile;
		if (!newFile) {
			checkOwner(settings(), this.file.toString(), "rm " + this.file, () -> Ownership.ofFile(this.file), -1);
		}
		int semKey = IpcNatives.ftok(this.file, this.projectId);
		try {
			this.id = IpcNatives.semGet(semKey, true, settings().permissions(), key);
			this.owner = true;
			track();
			IpcNatives.semSetValue(this.id, settings().initialValue(), key);
		}
		catch (NativeCallException ex) {
			if (!ex.is(EXISTS)) {
				throw ex;
			}
			int existing = IpcNatives.semGet(semKey, false, 0, key);
			checkOwner(settings(), "System V semaphore " + existing + ", key file " + this.file, "ipcrm -s " + existing,
					() -> IpcNatives.semOwner(existing, key), settings().permissions());
			this.id = existing;
			if (mode == Mode.CREATE) {
				IpcNatives.semSetValue(this.id, settings().initialValue(), key);
				this.owner = true;
				this.createdFile = true;
			}
			track();
		}
	}

	// what doClose() removes, so that the next start reclaims it after a crash
	private void track() {
		if (settings().persist()) {
			return;
		}
		if (this.owner) {
			Leftovers.created(Leftovers.Kind.SYSV_SEM, Integer.toString(this.id));
		}
		if (this.owner || this.createdFile) {
			Leftovers.created(Leftovers.Kind.FILE, this.file.toString());
		}
	}

	String nativeKey() {
		return this.file.toString();
	}

	@Override
	void doAcquire() {
		try {
			IpcNatives.semChange(this.id, -1, 0, key());
		}
		catch (NativeCallException ex) {
			reconnectIfRemoved(ex);
			IpcNatives.semChange(this.id, -1, 0, key());
		}
		acquired();
	}

	@Override
	boolean doTryAcquire(Duration timeout) {
		boolean acquired;
		try {
			acquired = IpcNatives.semChange(this.id, -1, timeout.toNanos(), key());
		}
		catch (NativeCallException ex) {
			reconnectIfRemoved(ex);
			acquired = IpcNatives.semChange(this.id, -1, timeout.toNanos(), key());
		}
		if (acquired) {
			acquired();
		}
		return acquired;
	}

	private void acquired() {
		if (this.held.incrementAndGet() >= UNDO_LIMIT_GUARD) {
			forgetOldestUndo();
		}
	}

	private synchronized void forgetOldestUndo() {
		int excess = this.held.get() - UNDO_KEPT;
		if (excess > 0 && this.held.get() >= UNDO_LIMIT_GUARD) {
			int forgotten = IpcNatives.semForgetUndo(this.id, excess, key());
			this.held.addAndGet(-forgotten);
		}
	}

	@Override
	void doRelease(int n) {
		int own = this.held.getAndUpdate((held) -> held - Math.min(held, n));
		int undone = Math.min(own, n);
		try {
			IpcNatives.semChange(this.id, undone, n - undone, key());
		}
		catch (RuntimeException ex) {
			this.held.addAndGet(undone);
			throw ex;
		}
	}

	@Override
	int doValue() {
		return IpcNatives.semValue(this.id, key());
	}

	/** Like Qt: a semaphore its owner removed is recreated on next use. */
	private void reconnectIfRemoved(NativeCallException ex) {
		// a handle closed while a thread waited must not recreate what its close removed
		if ((!ex.is(REMOVED, INVALID_ARGUMENT)) || !isOpen()) {
			throw ex;
		}
		this.held.set(0);
		connect(Mode.OPEN);
	}

	@Override
	void doClose() {
		// give back what this process still holds, as its exit would
		int own = this.held.getAndSet(0);
		if (own > 0) {
			IpcNatives.semChange(this.id, own, 0, key());
		}
		Leftovers.removed(Leftovers.Kind.SYSV_SEM, Integer.toString(this.id));
		Leftovers.removed(Leftovers.Kind.FILE, this.file.toString());
		if (settings().persist()) {
			return;
		}
		if (this.owner) {
			try {
				IpcNatives.semRemove(this.id, key());
			}
			catch (NativeCallException ex) {
				if (!ex.is(INVALID_ARGUMENT, REMOVED)) {
					throw ex;
				}
			}
		}
		if (this.owner || this.createdFile) {
			try {
				Files.deleteIfExists(this.file);
			}
			catch (IOException ex) {
				throw new SystemSemaphoreException(key(), "Could not remove the key file " + this.file
						+ " of semaphore '" + key() + "'; remove it by hand", ex);
			}
		}
	}

}
