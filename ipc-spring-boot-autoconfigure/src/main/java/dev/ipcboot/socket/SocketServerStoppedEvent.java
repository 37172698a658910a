package dev.ipcboot.socket;

import dev.ipcboot.IpcEvent;

/**
 * A socket server stopped listening and closed its connections; a local server's socket
 * file is gone.
 */
public class SocketServerStoppedEvent extends IpcEvent {

	/**
	 * Create an event for a server of any transport.
	 * @param server the server
	 */
	public SocketServerStoppedEvent(IpcServer server) {
		super(server, server.name());
	}

}
