package dev.ipcboot.socket;

import java.time.Duration;

/**
 * Everything a socket server needs, validated by the auto-configuration.
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
 * @param dispatch where the listener is called
 * @param options socket options of the listening socket and its connections
 * @param activation whether the listening socket is taken from systemd
 */
public record SocketServerSettings(String name, ServerBinding binding, Framing framing, int maxMessageSize,
		int maxConnections, int maxConnectionsPerPeer, Duration idleTimeout, Duration frameTimeout,
		Duration writeTimeout, long maxBufferedBytes, Dispatch dispatch, SocketOptions options,
		SocketActivation activation) {

	/**
	 * Settings with the default socket options and no socket activation.
	 * @param name name of the server, which is also its channel name
	 * @param binding where it listens
	 * @param framing how messages are delimited
	 * @param maxMessageSize largest message in bytes, in either direction
	 * @param maxConnections most connections open at once
	 * @param maxConnectionsPerPeer most connections open at once from one peer
	 * @param idleTimeout idle deadline; zero for never
	 * @param frameTimeout frame deadline; zero for never
	 * @param writeTimeout how long a peer may leave output unread
	 * @param maxBufferedBytes most bytes buffered across all connections
	 * @param dispatch where the listener is called
	 */
	public SocketServerSettings(String name, ServerBinding binding, Framing framing, int maxMessageSize,
			int maxConnections, int maxConnectionsPerPeer, Duration idleTimeout, Duration frameTimeout,
			Duration writeTimeout, long maxBufferedBytes, Dispatch dispatch) {
		this(name, binding, framing, maxMessageSize, maxConnections, maxConnectionsPerPeer, idleTimeout, frameTimeout,
				writeTimeout, maxBufferedBytes, dispatch, SocketOptions.DEFAULTS, SocketActivation.none(name));
	}

	/**
	 * Settings whose listener is called on the engine's workers.
	 * @param name name of the server, which is also its channel name
	 * @param binding where it listens
	 * @param framing how messages are delimited
	 * @param maxMessageSize largest message in bytes, in either direction
	 * @param maxConnections most connections open at once
	 * @param maxConnectionsPerPeer most connections open at once from one peer
	 * @param idleTimeout idle deadline; zero for never
	 * @param frameTimeout frame deadline; zero for never
	 * @param writeTimeout how long a peer may leave output unread
	 * @param maxBufferedBytes most bytes buffered across all connections
	 */
	public SocketServerSettings(String name, ServerBinding binding, Framing framing, int maxMessageSize,
			int maxConnections, int maxConnectionsPerPeer, Duration idleTimeout, Duration frameTimeout,
			Duration writeTimeout, long maxBufferedBytes) {
		this(name, binding, framing, maxMessageSize, maxConnections, maxConnectionsPerPeer, idleTimeout, frameTimeout,
				writeTimeout, maxBufferedBytes, Dispatch.WORKERS);
	}

	/**
	 * Where a server calls its listener.
	 */
	public enum Dispatch {

		/**
		 * On the engine's bounded worker pool, each connection's messages in order (the
		 * default): a listener may block without stalling other connections. A request
		 * costs two thread hand-offs (event loop to worker, and the reply back).
		 */
		WORKERS,

		/**
		 * On the connection's event loop, where the frame was read, and the reply is
		 * written there at once: no hand-off. Only for listeners that never block (they
		 * compute an answer, or return a {@code CompletionStage} at once): while one
		 * runs, every other connection of its event loop waits.
		 */
		EVENT_LOOP

	}

	/**
	 * The property that defines this server, for messages.
	 * @return {@code ipc.servers.<name>}
	 */
	public String property() {
		return "ipc.servers." + this.name;
	}

}
