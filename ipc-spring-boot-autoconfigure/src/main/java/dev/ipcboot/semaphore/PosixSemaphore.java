package dev.ipcboot.semaphore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

import dev.ipcboot.natives.IpcNatives;
import dev.ipcboot.natives.NativeCallException;
import dev.ipcboot.semaphore.SemaphoreSettings.Mode;

/**
 * A POSIX named semaphore ({@code sem_open}, {@code /dev/shm/sem.<key>}). POSIX cannot
 * undo the units of a process that dies; use the System V backend where that matters.
 */
final class PosixSemaphore extends AbstractSystemSemaphore {

	private final String name;

	private long handle;

	private boolean owner;

	private PosixSemaphore(String beanName, SemaphoreSettings settings, Runnable onClose) {
		super(beanName, settings, onClose);
		this.name = "/" + settings.key();
	}

	static PosixSemaphore open(String beanName, SemaphoreSettings settings, Runnable onClose) {
		PosixSemaphore semaphore = new PosixSemaphore(beanName, settings, onClose);
		semaphore.connect();
		return semaphore;
	}

	private void connect() {
		SemaphoreSettings settings = settings();
		if (settings.mode() == Mode.CREATE) {
			// a named POSIX semaphore cannot be reset in place: replace it
			try {
				IpcNatives.semUnlink(this.name);
			}
			catch (NativeCallException ex) {
				if (ex.errno() != NativeCallException.ENOENT) {
					throw ex;
				}
			}
		}
		try {
			this.handle = IpcNatives.semOpen(this.name, true, settings.permissions(), settings.initialValue());
			this.owner = true;
			setPermissions();
		}
		catch (NativeCallException ex) {
			if (ex.errno() != NativeCallException.EEXIST) {
				throw ex;
			}
			this.handle = IpcNatives.semOpen(this.name, false, 0, 0);
		}
	}

	/** sem_open's mode is narrowed by the umask; set the exact bits on its file. */
	private void setPermissions() {
		Path file = Path.of("/dev/shm/sem." + key());
		Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
		PosixFilePermission[] bits = PosixFilePermission.values();
		for (int bit = 0; bit < 9; bit++) {
			if ((settings().permissions() & (0400 >> bit)) != 0) {
				permissions.add(bits[bit]);
			}
		}
		try {
			Files.setPosixFilePermissions(file, permissions);
		}
		catch (IOException ex) {
			throw new SystemSemaphoreException(key(), "Could not set the permissions of " + file, ex);
		}
	}

	String nativeKey() {
		return this.name;
	}

	@Override
	void doAcquire() {
		IpcNatives.semWait(this.handle, key());
	}

	@Override
	boolean doTryAcquire(Duration timeout) {
		return IpcNatives.semWait(this.handle, timeout.toNanos(), key());
	}

	@Override
	void doRelease(int n) {
		for (int i = 0; i < n; i++) {
			IpcNatives.semPost(this.handle, key());
		}
	}

	@Override
	int doValue() {
		return IpcNatives.semValue(this.handle, key());
	}

	@Override
	void doClose() {
		IpcNatives.semClose(this.handle, key());
		if (this.owner && !settings().persist()) {
			try {
				IpcNatives.semUnlink(this.name);
			}
			catch (NativeCallException ex) {
				if (ex.errno() != NativeCallException.ENOENT) {
					throw ex;
				}
			}
		}
	}

}
