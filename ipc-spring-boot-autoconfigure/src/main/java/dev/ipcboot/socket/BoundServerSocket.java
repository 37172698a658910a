package dev.ipcboot.socket;

import java.io.IOException;
import java.net.ServerSocket;

/**
 * A server socket bound and listening, with what closing it must also undo (the socket
 * file of a local server).
 *
 * @param socket the server socket
 * @param address where it listens, for people
 * @param port the TCP port, {@code -1} for a local socket
 * @param cleanup run after the socket is closed
 */
record BoundServerSocket(ServerSocket socket, String address, int port, Cleanup cleanup) {

	/** What to undo after the socket is closed. */
	@FunctionalInterface
	interface Cleanup {

		void run() throws IOException;

	}

}
