package dev.ipcboot.semaphore;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.ipcboot.internal.IpcMetrics;
import dev.ipcboot.internal.IpcResource;
import dev.ipcboot.internal.natives.IpcNatives;
import dev.ipcboot.internal.natives.Leftovers;
import dev.ipcboot.internal.natives.NativeCallException;
import dev.ipcboot.semaphore.SemaphoreSettings.Backend;
import dev.ipcboot.semaphore.internal.SemaphoreAccess;

import static dev.ipcboot.internal.natives.NativeCallException.Condition.PERMISSION_DENIED;

/**
 * Opens system semaphores: the configured ones and any opened at run time. Closing the
 * factory closes every semaphore it opened that is still open.
 */
public class SystemSemaphoreFactory implements AutoCloseable {

	static {
		SemaphoreAccess.register(new SemaphoreAccess() {

			@Override
			protected SystemSemaphoreFactory createFactory(IpcMetrics metrics) {
				return new SystemSemaphoreFactory(metrics);
			}

			@Override
			protected List<IpcResource> resourcesOf(SystemSemaphoreFactory factory) {
				return factory.resources();
			}

		});
	}

	private final Set<AbstractSystemSemaphore> open = ConcurrentHashMap.newKeySet();

	private final IpcMetrics metrics;

	/**
	 * Create a factory whose semaphores record no metrics.
	 */
	public SystemSemaphoreFactory() {
		this(IpcMetrics.NONE);
	}

	/**
	 * Create a factory.
	 * @param metrics where its semaphores record how long callers wait to acquire
	 */
	SystemSemaphoreFactory(IpcMetrics metrics) {
		this.metrics = metrics;
	}

	/**
	 * The semaphores this factory opened that are still open, for health and the
	 * {@code ipc} endpoint.
	 * @return a snapshot
	 */
	List<IpcResource> resources() {
		return List.copyOf(this.open);
	}

	/**
	 * Open a semaphore named after its key.
	 * @param settings how to open it
	 * @return the semaphore; close it when done
	 * @throws SystemSemaphoreException naming the key if it cannot be opened
	 */
	public SystemSemaphore open(SemaphoreSettings settings) {
		return open(settings.key(), settings);
	}

	/**
	 * Open a semaphore.
	 * @param name its name in configuration, for messages
	 * @param settings how to open it
	 * @return the semaphore; close it when done
	 * @throws SystemSemaphoreException naming the key if it cannot be opened
	 */
	public SystemSemaphore open(String name, SemaphoreSettings settings) {
		if (!IpcNatives.isSupported()) {
			throw new SystemSemaphoreException(settings.key(),
					"Semaphore '" + settings.key() + "' needs 64-bit Linux; this is " + System.getProperty("os.name")
							+ " " + System.getProperty("os.arch"));
		}
		AbstractSystemSemaphore[] holder = new AbstractSystemSemaphore[1];
		Runnable onClose = () -> this.open.remove(holder[0]);
		try {
			// what crashed instances left goes before anything of the same name is opened
			Leftovers.reclaim();
			holder[0] = (settings.backend() == Backend.POSIX) ? PosixSemaphore.open(name, settings, onClose)
					: SystemVSemaphore.open(name, settings, onClose);
		}
		catch (NativeCallException ex) {
			String hint = (ex.is(PERMISSION_DENIED))
					? "; it belongs to another user: run as its owner or widen its permissions" : "";
			throw new SystemSemaphoreException(settings.key(),
					"Could not open semaphore '" + settings.key() + "': " + ex.getMessage() + hint, ex);
		}
		holder[0].recordWaitsIn(this.metrics);
		this.open.add(holder[0]);
		return holder[0];
	}

	/**
	 * Close every semaphore this factory opened that is still open.
	 */
	@Override
	public void close() {
		List<RuntimeException> failures = new ArrayList<>();
		for (AbstractSystemSemaphore semaphore : List.copyOf(this.open)) {
			try {
				semaphore.close();
			}
			catch (RuntimeException ex) {
				failures.add(ex);
			}
		}
		if (!failures.isEmpty()) {
			RuntimeException first = failures.get(0);
			failures.subList(1, failures.size()).forEach(first::addSuppressed);
			throw first;
		}
	}

}
