package dev.ipcboot.dbus;

import org.jspecify.annotations.Nullable;

import dev.ipcboot.IpcEvent;

/**
 * Published when the bus connection is lost (the bus daemon went away or closed the
 * connection). The starter then reconnects with backoff to the same address, unless
 * reconnection is switched off; a {@link DBusConnectedEvent} follows when it succeeds.
 */
public class DBusDisconnectedEvent extends IpcEvent {

	private final String address;

	private final @Nullable Throwable cause;

	/**
	 * Create a new event.
	 * @param source the bus connection
	 * @param resourceName the connection's name
	 * @param address the bus address
	 * @param cause why the connection was lost, if known
	 */
	public DBusDisconnectedEvent(Object source, String resourceName, String address, @Nullable Throwable cause) {
		super(source, resourceName);
		this.address = address;
		this.cause = cause;
	}

	/**
	 * The bus address that was lost.
	 * @return the address
	 */
	public String address() {
		return this.address;
	}

	/**
	 * Why the connection was lost.
	 * @return the failure, or {@code null} if unknown
	 */
	public @Nullable Throwable cause() {
		return this.cause;
	}

}
