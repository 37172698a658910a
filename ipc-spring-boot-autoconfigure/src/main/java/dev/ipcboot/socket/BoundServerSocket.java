package dev.ipcboot.socket;

import java.io.IOException;

import io.netty.channel.Channel;

/**
 * A server socket bound and listening, with what closing it must also undo (the socket
 * file of a local server).
 *
 * @param channel the engine's bound server channel
 * @param address where it listens, for people
 * @param port the TCP port, {@code -1} for a local socket
 * @param cleanup run after the socket is closed
 */
record BoundServerSocket(Channel channel, String address, int port, Cleanup cleanup) {

	/** What to undo after the socket is closed. */
	@FunctionalInterface
	interface Cleanup {

		void run() throws IOException;

	}

}
