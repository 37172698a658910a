package dev.ipcboot;

import org.springframework.context.ApplicationEvent;

/**
 * Base class of every event the starter publishes. The source is the object whose state
 * changed (a server, a connection, a process, a bus connection); {@link #resourceName()}
 * is the name it has in configuration, so that listeners can filter without casting.
 */
public abstract class IpcEvent extends ApplicationEvent {

	private final String resourceName;

	protected IpcEvent(Object source, String resourceName) {
		super(source);
		this.resourceName = resourceName;
	}

	/**
	 * Name of the resource in configuration ({@code orders} for
	 * {@code ipc.servers.orders}).
	 * @return the resource name
	 */
	public String resourceName() {
		return this.resourceName;
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "[" + this.resourceName + "]";
	}

}
