package dev.ipcboot.semaphore.internal;

import java.util.List;

import dev.ipcboot.internal.IpcMetrics;
import dev.ipcboot.internal.IpcResource;
import dev.ipcboot.internal.Registration;
import dev.ipcboot.semaphore.SystemSemaphoreFactory;

/**
 * Reaches what {@link SystemSemaphoreFactory} keeps out of its public API for the
 * auto-configuration: a factory whose semaphores record metrics, and the semaphores it
 * has open, for health and the {@code ipc} endpoint. {@code SystemSemaphoreFactory}
 * registers the one implementation when its class is initialized (ADR 0019).
 */
public abstract class SemaphoreAccess {

	private static final Registration<SemaphoreAccess> ACCESS = new Registration<>(SystemSemaphoreFactory.class);

	/** For {@code SystemSemaphoreFactory}'s implementation only. */
	protected SemaphoreAccess() {
	}

	/**
	 * Register the implementation; called once, by {@code SystemSemaphoreFactory}.
	 * @param implementation the implementation
	 * @throws IllegalStateException if one is registered already
	 */
	public static void register(SemaphoreAccess implementation) {
		ACCESS.set(implementation);
	}

	/**
	 * A factory whose semaphores record how long callers wait to acquire.
	 * @param metrics where the waits are recorded
	 * @return the factory
	 */
	public static SystemSemaphoreFactory factory(IpcMetrics metrics) {
		return ACCESS.get().createFactory(metrics);
	}

	/**
	 * The semaphores a factory opened that are still open.
	 * @param factory the factory
	 * @return a snapshot
	 */
	public static List<IpcResource> resources(SystemSemaphoreFactory factory) {
		return ACCESS.get().resourcesOf(factory);
	}

	/**
	 * Create a factory that records metrics.
	 * @param metrics where the waits are recorded
	 * @return the factory
	 */
	protected abstract SystemSemaphoreFactory createFactory(IpcMetrics metrics);

	/**
	 * The semaphores a factory opened that are still open.
	 * @param factory the factory
	 * @return a snapshot
	 */
	protected abstract List<IpcResource> resourcesOf(SystemSemaphoreFactory factory);

}
