package dev.ipcboot.semaphore;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import dev.ipcboot.internal.IpcMetrics;
import dev.ipcboot.internal.IpcResource;
import dev.ipcboot.internal.IpcResourceState;
import dev.ipcboot.internal.natives.NativeCallException;
import dev.ipcboot.internal.natives.Ownership;

import static dev.ipcboot.internal.natives.NativeCallException.Condition.OUT_OF_RANGE;
import static dev.ipcboot.internal.natives.NativeCallException.Condition.REMOVED;

/**
 * What every backend shares: argument checks, the closed state, and turning native
 * failures into {@link SystemSemaphoreException}s that name the key.
 */
abstract class AbstractSystemSemaphore implements SystemSemaphore, IpcResource {

	private final String name;

	private final SemaphoreSettings settings;

	private final Runnable onClose;

	private volatile boolean open = true;

	/** Set by the factory before the semaphore is handed out. */
	private volatile IpcMetrics metrics = IpcMetrics.NONE;

	AbstractSystemSemaphore(String name, SemaphoreSettings settings, Runnable onClose) {
		this.name = name;
		this.settings = settings;
		this.onClose = onClose;
	}

	@Override
	public final String name() {
		return this.name;
	}

	@Override
	public final String kind() {
		return "semaphore";
	}

	/**
	 * UP while open, with its key, native key, backend and current value.
	 * @return the state
	 */
	@Override
	public final IpcResourceState state() {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("key", key());
		details.put("nativeKey", nativeKey());
		details.put("backend", this.settings.backend().name().toLowerCase(Locale.ROOT).replace('_', '-'));
		if (!this.open) {
			return IpcResourceState.down("closed", details);
		}
		try {
			details.put("value", doValue());
		}
		catch (RuntimeException ex) {
			// a semaphore removed by its creator reads as EIDRM: the operator needs to
			// know
			return IpcResourceState.down("could not read its value: " + ex.getMessage(), details);
		}
		return IpcResourceState.up(details);
	}

	/**
	 * Refuse a semaphore or key file that exists already and that another user could have
	 * planted (see {@link Ownership}).
	 * @param object the operating system object
	 * @param removal how to remove it by hand
	 * @param owner reads its owner and mode
	 * @param permissions the permissions it may have at most; -1 for a key file
	 * @throws SystemSemaphoreException if it must not be used
	 */
	static void checkOwner(SemaphoreSettings settings, String object, String removal, Supplier<Ownership.Owner> owner,
			int permissions) {
		String what = ((permissions < 0) ? "The key file of semaphore '" : "Semaphore '") + settings.key() + "'";
		String refusal;
		try {
			refusal = Ownership.refusal(what, object, removal, owner.get(), permissions, settings.allowedOwners());
		}
		catch (UncheckedIOException ex) {
			throw new SystemSemaphoreException(settings.key(), ex.getMessage(), ex);
		}
		if (refusal != null) {
			throw new SystemSemaphoreException(settings.key(), refusal);
		}
	}

	void recordWaitsIn(IpcMetrics metrics) {
		this.metrics = metrics;
	}

	abstract String nativeKey();

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
		long start = System.nanoTime();
		try {
			doAcquire();
		}
		catch (NativeCallException ex) {
			throw failed("acquire", ex);
		}
		finally {
			this.metrics.lockWait(this.name, "semaphore", System.nanoTime() - start);
		}
	}

	@Override
	public final boolean tryAcquire(Duration timeout) {
		checkOpen();
		long start = System.nanoTime();
		try {
			return doTryAcquire(timeout.isNegative() ? Duration.ZERO : timeout);
		}
		catch (NativeCallException ex) {
			throw failed("acquire", ex);
		}
		finally {
			this.metrics.lockWait(this.name, "semaphore", System.nanoTime() - start);
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

	/** Whether {@link #close} has not been called yet. */
	final boolean isOpen() {
		return this.open;
	}

	private void checkOpen() {
		if (!this.open) {
			throw new SystemSemaphoreException(key(), "Semaphore '" + key() + "' is closed");
		}
	}

	private SystemSemaphoreException failed(String action, NativeCallException ex) {
		String hint = ex.is(OUT_OF_RANGE)
				? "; its value would pass " + SemaphoreSettings.MAX_VALUE
						+ " (release fewer units at once, or let consumers take some first)"
				: ex.is(REMOVED) ? "; it was removed by its creator while waiting" : "";
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
