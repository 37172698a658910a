package dev.ipcboot.internal;

import dev.ipcboot.IpcResourceStatus;

/**
 * A live resource of one facility that operators want to see in health and in the
 * {@code ipc} actuator endpoint: a socket server or client, a D-Bus connection, a managed
 * process, a shared-memory segment or a semaphore. Facilities implement it on the object
 * that owns the resource and return it from their {@link IpcResourceSource}; the starter
 * works without Actuator, so nothing here depends on it.
 */
public interface IpcResource {

	/**
	 * Name of the resource in configuration ({@code orders} for
	 * {@code ipc.servers.orders}).
	 * @return the name
	 */
	String name();

	/**
	 * What kind of resource this is, in a few lower-case words that group resources in
	 * health and in the endpoint: {@code local server}, {@code tcp server},
	 * {@code local client}, {@code tcp client}, {@code D-Bus connection},
	 * {@code process}, {@code shared memory}, {@code semaphore}.
	 * @return the kind
	 */
	String kind();

	/**
	 * The current state. Called from actuator threads whenever health or the endpoint is
	 * read, so it must be cheap, thread-safe and must not block on the resource itself; a
	 * failure to determine the state is reported as {@link IpcResourceStatus#UNKNOWN}
	 * rather than thrown.
	 * @return the state
	 */
	IpcResourceState state();

}
