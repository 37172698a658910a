package dev.ipcboot.semaphore;

import java.io.UncheckedIOException;
import java.time.Duration;

import dev.ipcboot.internal.natives.Leftovers;
import dev.ipcboot.internal.natives.NamedSemaphore;
import dev.ipcboot.semaphore.SemaphoreSettings.Mode;

/**
 * A POSIX named semaphore ({@code sem_open}, {@code /dev/shm/sem.<key>}), opened, created
 * and removed as Qt 6.6+'s QSystemSemaphore does with a POSIX key. POSIX cannot undo the
 * units of a process that dies; use the System V backend where that matters. Closing it
 * while a thread waits makes that thread fail instead of crashing on unmapped memory.
 */
final class PosixSemaphore extends AbstractSystemSemaphore {

	private final NamedSemaphore semaphore;

	private PosixSemaphore(String beanName, SemaphoreSettings settings, Runnable onClose, NamedSemaphore semaphore) {
		super(beanName, settings, onClose);
		this.semaphore = semaphore;
	}

	static PosixSemaphore open(String beanName, SemaphoreSettings settings, Runnable onClose) {
		try {
			// a named POSIX semaphore cannot be reset in place: create mode replaces it
			NamedSemaphore semaphore = NamedSemaphore.open("/" + settings.key(), settings.permissions(),
					settings.initialValue(), settings.mode() == Mode.CREATE);
			if (semaphore.created() && !settings.persist()) {
				Leftovers.created(Leftovers.Kind.POSIX_SEM, semaphore.name());
			}
			if (!semaphore.created()) {
				try {
					checkOwner(settings, semaphore.file().toString(), "rm " + semaphore.file(), semaphore::owner,
							settings.permissions());
				}
				catch (RuntimeException ex) {
					semaphore.close(false);
					throw ex;
				}
			}
			return new PosixSemaphore(beanName, settings, onClose, semaphore);
		}
		catch (UncheckedIOException ex) {
			throw new SystemSemaphoreException(settings.key(),
					"Could not create semaphore '" + settings.key() + "': " + ex.getMessage(), ex);
		}
	}

	@Override
	String nativeKey() {
		return this.semaphore.name();
	}

	@Override
	void doAcquire() {
		acquire(Long.MAX_VALUE);
	}

	@Override
	boolean doTryAcquire(Duration timeout) {
		return acquire(timeout.toNanos());
	}

	private boolean acquire(long timeoutNanos) {
		try {
			return this.semaphore.acquire(timeoutNanos);
		}
		catch (IllegalStateException ex) {
			throw new SystemSemaphoreException(key(), "Semaphore '" + key() + "' was closed while waiting", ex);
		}
	}

	@Override
	void doRelease(int n) {
		for (int i = 0; i < n; i++) {
			this.semaphore.release();
		}
	}

	@Override
	int doValue() {
		return this.semaphore.value();
	}

	@Override
	void doClose() {
		Leftovers.removed(Leftovers.Kind.POSIX_SEM, this.semaphore.name());
		this.semaphore.close(this.semaphore.created() && !settings().persist());
	}

}
