package dev.ipcboot.shm.internal;

import java.util.List;

import org.springframework.context.ApplicationEventPublisher;

import dev.ipcboot.internal.IpcMetrics;
import dev.ipcboot.internal.IpcResource;
import dev.ipcboot.internal.Registration;
import dev.ipcboot.shm.SharedMemoryFactory;

/**
 * Reaches what {@link SharedMemoryFactory} keeps out of its public API for the
 * auto-configuration: a factory whose segments record metrics, and the segments it has
 * open, for health and the {@code ipc} endpoint. {@code SharedMemoryFactory} registers
 * the one implementation when its class is initialized (ADR 0019).
 */
public abstract class SharedMemoryAccess {

	private static final Registration<SharedMemoryAccess> ACCESS = new Registration<>(SharedMemoryFactory.class);

	/** For {@code SharedMemoryFactory}'s implementation only. */
	protected SharedMemoryAccess() {
	}

	/**
	 * Register the implementation; called once, by {@code SharedMemoryFactory}.
	 * @param implementation the implementation
	 * @throws IllegalStateException if one is registered already
	 */
	public static void register(SharedMemoryAccess implementation) {
		ACCESS.set(implementation);
	}

	/**
	 * A factory whose segments record how long callers wait for the lock.
	 * @param publisher where segment events go
	 * @param metrics where the waits are recorded
	 * @return the factory
	 */
	public static SharedMemoryFactory factory(ApplicationEventPublisher publisher, IpcMetrics metrics) {
		return ACCESS.get().createFactory(publisher, metrics);
	}

	/**
	 * The segments a factory opened that are still attached.
	 * @param factory the factory
	 * @return a snapshot
	 */
	public static List<IpcResource> resources(SharedMemoryFactory factory) {
		return ACCESS.get().resourcesOf(factory);
	}

	/**
	 * Create a factory that records metrics.
	 * @param publisher where segment events go
	 * @param metrics where the waits are recorded
	 * @return the factory
	 */
	protected abstract SharedMemoryFactory createFactory(ApplicationEventPublisher publisher, IpcMetrics metrics);

	/**
	 * The segments a factory opened that are still attached.
	 * @param factory the factory
	 * @return a snapshot
	 */
	protected abstract List<IpcResource> resourcesOf(SharedMemoryFactory factory);

}
