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
 * @param idleTimeout a connection silent for this long is closed; zero for never
 */
public record SocketServerSettings(String name, ServerBinding binding, Framing framing, int maxMessageSize,
		int maxConnections, Duration idleTimeout) {

	/**
	 * The property that defines this server, for messages.
	 * @return {@code ipc.servers.<name>}
	 */
	public String property() {
		return "ipc.servers." + this.name;
	}

}
