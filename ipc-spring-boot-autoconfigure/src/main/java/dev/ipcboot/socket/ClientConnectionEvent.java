package dev.ipcboot.socket;

import dev.ipcboot.IpcEvent;

/**
 * Base of the events about the connections of an {@link IpcClient}; the resource name is
 * the client's name and {@link #address()} the server it connects to.
 */
public abstract class ClientConnectionEvent extends IpcEvent {

	private final String address;

	/**
	 * Create a new event.
	 * @param source the client
	 * @param clientName the client's name in configuration
	 * @param address the server's address
	 */
	protected ClientConnectionEvent(Object source, String clientName, String address) {
		super(source, clientName);
		this.address = address;
	}

	/**
	 * The server's address, for example {@code local:/run/user/1000/orders.sock} or
	 * {@code tcp:127.0.0.1:7000}.
	 * @return the address
	 */
	public String address() {
		return this.address;
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "[" + resourceName() + " -> " + this.address + "]";
	}

}
