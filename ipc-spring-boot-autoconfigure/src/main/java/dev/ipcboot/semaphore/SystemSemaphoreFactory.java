package dev.ipcboot.semaphore;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.ipcboot.natives.IpcNatives;
import dev.ipcboot.natives.NativeCallException;
import dev.ipcboot.semaphore.SemaphoreSettings.Backend;

/**
 * Opens system semaphores: the configured ones and any opened at run time. Closing the
 * factory closes every semaphore it opened that is still open.
 */
public class SystemSemaphoreFactory implements AutoCloseable {

	private final Set<AbstractSystemSemaphore> open = ConcurrentHashMap.newKeySet();

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
			holder[0] = (settings.backend() == Backend.POSIX) ? PosixSemaphore.open(name, settings, onClose)
					: SystemVSemaphore.open(name, settings, onClose);
		}
		catch (NativeCallException ex) {
			String hint = (ex.errno() == NativeCallException.EACCES)
					? "; it belongs to another user: run as its owner or widen its permissions" : "";
			throw new SystemSemaphoreException(settings.key(),
					"Could not open semaphore '" + settings.key() + "': " + ex.getMessage() + hint, ex);
		}
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
