package dev.ipcboot.dbus;

import dev.ipcboot.IpcEvent;

/**
 * Published when a bus connection is established: first at start-up (or first use), then
 * after every successful reconnection, once the service name, exported objects and signal
 * subscriptions are restored.
 */
public class DBusConnectedEvent extends IpcEvent {

	private final String address;

	private final String uniqueName;

	private final boolean reconnect;

	/**
	 * Create a new event.
	 * @param source the bus connection
	 * @param resourceName the connection's name ({@code dbus} for {@code ipc.dbus})
	 * @param address the bus address
	 * @param uniqueName the connection's unique name on the bus
	 * @param reconnect whether this follows a lost connection
	 */
	public DBusConnectedEvent(Object source, String resourceName, String address, String uniqueName,
			boolean reconnect) {
		super(source, resourceName);
		this.address = address;
		this.uniqueName = uniqueName;
		this.reconnect = reconnect;
	}

	/**
	 * The bus address.
	 * @return the address, for example {@code unix:path=/run/user/1000/bus}
	 */
	public String address() {
		return this.address;
	}

	/**
	 * The connection's unique name on the bus.
	 * @return the unique name, for example {@code :1.42}
	 */
	public String uniqueName() {
		return this.uniqueName;
	}

	/**
	 * Whether this connection replaces one that was lost.
	 * @return {@code true} after a reconnection
	 */
	public boolean isReconnect() {
		return this.reconnect;
	}

}
