package dev.ipcboot.process.internal;

import java.util.Collection;
import java.util.List;

import org.springframework.context.ApplicationEventPublisher;

import dev.ipcboot.IpcThreads;
import dev.ipcboot.internal.IpcMetrics;
import dev.ipcboot.internal.IpcResource;
import dev.ipcboot.internal.Registration;
import dev.ipcboot.listener.IpcChannelSource;
import dev.ipcboot.process.DefaultProcessManager;

/**
 * Builds the process manager of the configured processes and their channels, which
 * {@code dev.ipcboot.process} keeps out of its public API: the auto-configuration calls
 * these. {@code DefaultProcessManager} registers the one implementation when its class is
 * initialized (the JDK's "shared secrets" pattern), so the manager's supervising
 * constructor and the channels stay package-private without the manager having to live in
 * an internal package (ADR 0019).
 */
public abstract class ProcessMachinery {

	private static final Registration<ProcessMachinery> MACHINERY = new Registration<>(DefaultProcessManager.class);

	/** For {@code DefaultProcessManager}'s implementation only. */
	protected ProcessMachinery() {
	}

	/**
	 * Register the implementation; called once, by {@code DefaultProcessManager}.
	 * @param implementation the implementation
	 * @throws IllegalStateException if one is registered already
	 */
	public static void register(ProcessMachinery implementation) {
		MACHINERY.set(implementation);
	}

	/**
	 * The channels of the configured processes, one per definition.
	 * @param definitions the configured processes
	 * @return the channels, for the listener registry
	 */
	public static IpcChannelSource channels(Collection<ProcessDefinition> definitions) {
		return MACHINERY.get().createChannels(definitions);
	}

	/**
	 * A manager that supervises the configured processes.
	 * @param definitions the configured processes
	 * @param channels their channels, from {@link #channels(Collection)}
	 * @param publisher publishes the process events
	 * @param metrics records output lines, starts, restarts and exits
	 * @param threads platform or virtual threads
	 * @return the manager
	 */
	public static DefaultProcessManager manager(Collection<ProcessDefinition> definitions, IpcChannelSource channels,
			ApplicationEventPublisher publisher, IpcMetrics metrics, IpcThreads threads) {
		return MACHINERY.get().createManager(definitions, channels, publisher, metrics, threads);
	}

	/**
	 * The processes of a manager, for health and the {@code ipc} endpoint.
	 * @param manager the manager
	 * @return every configured process, then the ad-hoc ones still running
	 */
	public static List<IpcResource> resources(DefaultProcessManager manager) {
		return MACHINERY.get().resourcesOf(manager);
	}

	/**
	 * Create the channels.
	 * @param definitions the configured processes
	 * @return the channels
	 */
	protected abstract IpcChannelSource createChannels(Collection<ProcessDefinition> definitions);

	/**
	 * Create a supervising manager.
	 * @param definitions the configured processes
	 * @param channels their channels
	 * @param publisher publishes the process events
	 * @param metrics records output lines, starts, restarts and exits
	 * @param threads platform or virtual threads
	 * @return the manager
	 */
	protected abstract DefaultProcessManager createManager(Collection<ProcessDefinition> definitions,
			IpcChannelSource channels, ApplicationEventPublisher publisher, IpcMetrics metrics, IpcThreads threads);

	/**
	 * The processes of a manager.
	 * @param manager the manager
	 * @return the resources
	 */
	protected abstract List<IpcResource> resourcesOf(DefaultProcessManager manager);

}
