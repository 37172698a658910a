package dev.ipcboot.socket.internal;

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
 * @param adopted whether the socket was passed by systemd: it is then taken off the event
 * loop but never closed, so it keeps queueing connections for the next start
 */
record BoundServerSocket(Channel channel, String address, int port, Cleanup cleanup, boolean adopted) {

	BoundServerSocket(Channel channel, String address, int port, Cleanup cleanup) {
		this(channel, address, port, cleanup, false);
	}

	/**
	 * Stop accepting: close a socket we bound; take an adopted one off the event loop and
	 * leave it open (systemd's socket, whose peers wait in its backlog).
	 */
	void release() {
		if (this.adopted) {
			this.channel.deregister().syncUninterruptibly();
		}
		else {
			this.channel.close().syncUninterruptibly();
		}
	}

	/** What to undo after the socket is closed. */
	@FunctionalInterface
	interface Cleanup {

		void run() throws IOException;

	}

}
