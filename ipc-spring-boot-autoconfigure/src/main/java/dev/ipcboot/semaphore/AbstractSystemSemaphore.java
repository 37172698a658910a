package dev.ipcboot.semaphore;

import java.time.Duration;

import dev.ipcboot.natives.NativeCallException;

/**
 * What every backend shares: argument checks, the closed state, and turning native
 * failures into {@link SystemSemaphoreException}s that name the key.
 */
abstract class AbstractSystemSemaphore implements SystemSemaphore {

	private final String name;

	private final SemaphoreSettings settings;

	private final Runnable onClose;

	private volatile boolean open = true;

	AbstractSystemSemaphore(String name, SemaphoreSettings settings, Runnable onClose) {
		this.name = name;
		this.settings = settings;
		this.onClose = onClose;
	}

	final String name() {
		return this.name;
	}

	final SemaphoreSettings settings() {
		return this.settings;
	}

	@Override
	public final String key() {
		return this.settings.key();
	}

	@Override
	public final void acquire() {
		checkOpen();
		try {
			doAcquire();
		}
		catch (NativeCallException ex) {
			throw failed("acquire", ex);
		}
	}

	@Override
	public final boolean tryAcquire(Duration timeout) {
		checkOpen();
		try {
			return doTryAcquire(timeout.isNegative() ? Duration.ZERO : timeout);
		}
		catch (NativeCallException ex) {
			throw failed("acquire", ex);
		}
	}

	@Override
	public final void release() {
		release(1);
	}

	@Override
	public final void release(int n) {
		if (n < 1) {
			throw new IllegalArgumentException(
					"Cannot release " + n + " units of semaphore '" + key() + "'; release at least 1");
		}
		checkOpen();
		try {
			doRelease(n);
		}
		catch (NativeCallException ex) {
			throw failed("release " + n + " units of", ex);
		}
	}

	@Override
	public final int value() {
		checkOpen();
		try {
			return doValue();
		}
		catch (NativeCallException ex) {
			throw failed("read the value of", ex);
		}
	}

	@Override
	public final void close() {
		synchronized (this) {
			if (!this.open) {
				return;
			}
			this.open = false;
		}
		try {
			doClose();
		}
		catch (NativeCallException ex) {
			throw failed("close", ex);
		}
		finally {
			this.onClose.run();
		}
	}

	private void checkOpen() {
		if (!this.open) {
			throw new SystemSemaphoreException(key(), "Semaphore '" + key() + "' is closed");
		}
	}

	private SystemSemaphoreException failed(String action, NativeCallException ex) {
		String hint = (ex.errno() == 34) ? "; its value would pass " + SemaphoreSettings.MAX_VALUE
				: (ex.errno() == NativeCallException.EIDRM) ? "; it was removed by its creator while waiting" : "";
		return new SystemSemaphoreException(key(),
				"Could not " + action + " semaphore '" + key() + "': " + ex.getMessage() + hint, ex);
	}

	abstract void doAcquire();

	abstract boolean doTryAcquire(Duration timeout);

	abstract void doRelease(int n);

	abstract int doValue();

	abstract void doClose();

	@Override
	public String toString() {
		return "SystemSemaphore[" + this.name + ", key=" + key() + ", " + this.settings.backend() + "]";
	}

}
