package dev.ipcboot.socket;

import java.time.Duration;

/**
 * Everything a {@link SocketServer} needs, validated by the auto-configuration.
 *
 * @param name name of the server, which is also its channel name
 * @param binding where it listens
 * @param framing how messages are delimited
 * @param maxMessageSize largest message in bytes, in either direction
 * @param maxConnections most connections open at once; more are closed on accept
 * @param maxConnectionsPerPeer most connections open at once from one peer (one uid on a
 * local socket, one remote address on TCP)
 * @param idleTimeout a connection with no complete frame for this long is closed; zero
 * for never
 * @param frameTimeout a frame not complete this long after its first byte closes its
 * connection; zero for never
 * @param writeTimeout a peer that reads nothing for this long while output waits for it
 * is closed; a sender waits at most this long for room
 * @param maxBufferedBytes most bytes of unfinished and unhandled frames the server holds
 * across all its connections; beyond it, connections stop being read
 */
public record SocketServerSettings(String name, ServerBinding binding, Framing framing, int maxMessageSize,
		int maxConnections, int maxConnectionsPerPeer, Duration idleTimeout, Duration frameTimeout,
		Duration writeTimeout, long maxBufferedBytes) {

	/**
	 * The property that defines this server, for messages.
	 * @return {@code ipc.servers.<name>}
	 */
	public String property() {
		return "ipc.servers." + this.name;
	}

}
