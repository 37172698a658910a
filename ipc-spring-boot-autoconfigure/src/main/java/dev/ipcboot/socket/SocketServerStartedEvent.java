package dev.ipcboot.socket;

import dev.ipcboot.IpcEvent;

/**
 * A socket server is listening. Published from {@link SocketServer#start()}, before any
 * connection is read.
 */
public class SocketServerStartedEvent extends IpcEvent {

	private final String address;

	private final int port;

	/**
	 * Create an event for a server of any transport.
	 * @param server the server
	 * @param address the socket path where clients meet it
	 * @param port {@code -1}
	 */
	public SocketServerStartedEvent(IpcServer server, String address, int port) {
		super(server, server.name());
		this.address = address;
		this.port = port;
	}

	/**
	 * Where the server listens.
	 * @return a socket path, {@code @name} for an abstract name, or {@code host:port}
	 */
	public String address() {
		return this.address;
	}

	/**
	 * The bound TCP port, useful with {@code port: 0}.
	 * @return the port, or {@code -1} for a local server
	 */
	public int port() {
		return this.port;
	}

	@Override
	public String toString() {
		return "SocketServerStartedEvent[" + resourceName() + " at " + this.address + "]";
	}

}
