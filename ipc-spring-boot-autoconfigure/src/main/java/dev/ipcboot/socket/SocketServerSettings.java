package dev.ipcboot.socket;

import java.time.Duration;
import java.util.Objects;

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
	 * A builder holding these settings, to change some of them (what a
	 * {@code SocketServerCustomizer} bean receives).
	 * @return a builder; {@link Builder#build()} makes new settings
	 */
	public Builder toBuilder() {
		return new Builder(this);
	}

	/**
	 * The property that defines this server, for messages.
	 * @return {@code ipc.servers.<name>}
	 */
	public String property() {
		return "ipc.servers." + this.name;
	}

	/**
	 * Builds {@link SocketServerSettings}, starting from existing ones
	 * ({@link SocketServerSettings#toBuilder()}). The name stays: it names the server's
	 * bean, channel and properties. Each value has a getter and a setter of the same
	 * name.
	 */
	public static final class Builder {

		private final String name;

		private ServerBinding binding;

		private Framing framing;

		private int maxMessageSize;

		private int maxConnections;

		private int maxConnectionsPerPeer;

		private Duration idleTimeout;

		private Duration frameTimeout;

		private Duration writeTimeout;

		private long maxBufferedBytes;

		private Dispatch dispatch;

		private SocketOptions options;

		private SocketActivation activation;

		private Builder(SocketServerSettings settings) {
			this.name = settings.name;
			this.binding = settings.binding;
			this.framing = settings.framing;
			this.maxMessageSize = settings.maxMessageSize;
			this.maxConnections = settings.maxConnections;
			this.maxConnectionsPerPeer = settings.maxConnectionsPerPeer;
			this.idleTimeout = settings.idleTimeout;
			this.frameTimeout = settings.frameTimeout;
			this.writeTimeout = settings.writeTimeout;
			this.maxBufferedBytes = settings.maxBufferedBytes;
			this.dispatch = settings.dispatch;
			this.options = settings.options;
			this.activation = settings.activation;
		}

		/**
		 * The server's name, which is also its channel name.
		 * @return the name
		 */
		public String name() {
			return this.name;
		}

		/**
		 * The current value: where it listens.
		 * @return the value
		 */
		public ServerBinding binding() {
			return this.binding;
		}

		/**
		 * Set where it listens.
		 * @param binding the new value
		 * @return this builder
		 */
		public Builder binding(ServerBinding binding) {
			this.binding = Objects.requireNonNull(binding, "binding");
			return this;
		}

		/**
		 * The current value: how messages are delimited.
		 * @return the value
		 */
		public Framing framing() {
			return this.framing;
		}

		/**
		 * Set how messages are delimited.
		 * @param framing the new value
		 * @return this builder
		 */
		public Builder framing(Framing framing) {
			this.framing = Objects.requireNonNull(framing, "framing");
			return this;
		}

		/**
		 * The current value: largest message in bytes, in either direction.
		 * @return the value
		 */
		public int maxMessageSize() {
			return this.maxMessageSize;
		}

		/**
		 * Set largest message in bytes, in either direction.
		 * @param maxMessageSize the new value
		 * @return this builder
		 */
		public Builder maxMessageSize(int maxMessageSize) {
			this.maxMessageSize = maxMessageSize;
			return this;
		}

		/**
		 * The current value: most connections open at once.
		 * @return the value
		 */
		public int maxConnections() {
			return this.maxConnections;
		}

		/**
		 * Set most connections open at once.
		 * @param maxConnections the new value
		 * @return this builder
		 */
		public Builder maxConnections(int maxConnections) {
			this.maxConnections = maxConnections;
			return this;
		}

		/**
		 * The current value: most connections open at once from one peer.
		 * @return the value
		 */
		public int maxConnectionsPerPeer() {
			return this.maxConnectionsPerPeer;
		}

		/**
		 * Set most connections open at once from one peer.
		 * @param maxConnectionsPerPeer the new value
		 * @return this builder
		 */
		public Builder maxConnectionsPerPeer(int maxConnectionsPerPeer) {
			this.maxConnectionsPerPeer = maxConnectionsPerPeer;
			return this;
		}

		/**
		 * The current value: idle deadline; zero for never.
		 * @return the value
		 */
		public Duration idleTimeout() {
			return this.idleTimeout;
		}

		/**
		 * Set idle deadline; zero for never.
		 * @param idleTimeout the new value
		 * @return this builder
		 */
		public Builder idleTimeout(Duration idleTimeout) {
			this.idleTimeout = Objects.requireNonNull(idleTimeout, "idleTimeout");
			return this;
		}

		/**
		 * The current value: frame deadline; zero for never.
		 * @return the value
		 */
		public Duration frameTimeout() {
			return this.frameTimeout;
		}

		/**
		 * Set frame deadline; zero for never.
		 * @param frameTimeout the new value
		 * @return this builder
		 */
		public Builder frameTimeout(Duration frameTimeout) {
			this.frameTimeout = Objects.requireNonNull(frameTimeout, "frameTimeout");
			return this;
		}

		/**
		 * The current value: how long a peer may leave output unread.
		 * @return the value
		 */
		public Duration writeTimeout() {
			return this.writeTimeout;
		}

		/**
		 * Set how long a peer may leave output unread.
		 * @param writeTimeout the new value
		 * @return this builder
		 */
		public Builder writeTimeout(Duration writeTimeout) {
			this.writeTimeout = Objects.requireNonNull(writeTimeout, "writeTimeout");
			return this;
		}

		/**
		 * The current value: most bytes buffered across all connections.
		 * @return the value
		 */
		public long maxBufferedBytes() {
			return this.maxBufferedBytes;
		}

		/**
		 * Set most bytes buffered across all connections.
		 * @param maxBufferedBytes the new value
		 * @return this builder
		 */
		public Builder maxBufferedBytes(long maxBufferedBytes) {
			this.maxBufferedBytes = maxBufferedBytes;
			return this;
		}

		/**
		 * The current value: where the listener is called.
		 * @return the value
		 */
		public Dispatch dispatch() {
			return this.dispatch;
		}

		/**
		 * Set where the listener is called.
		 * @param dispatch the new value
		 * @return this builder
		 */
		public Builder dispatch(Dispatch dispatch) {
			this.dispatch = Objects.requireNonNull(dispatch, "dispatch");
			return this;
		}

		/**
		 * The current value: socket options of the listening socket and its connections.
		 * @return the value
		 */
		public SocketOptions options() {
			return this.options;
		}

		/**
		 * Set socket options of the listening socket and its connections.
		 * @param options the new value
		 * @return this builder
		 */
		public Builder options(SocketOptions options) {
			this.options = Objects.requireNonNull(options, "options");
			return this;
		}

		/**
		 * The current value: whether the listening socket is taken from systemd.
		 * @return the value
		 */
		public SocketActivation activation() {
			return this.activation;
		}

		/**
		 * Set whether the listening socket is taken from systemd.
		 * @param activation the new value
		 * @return this builder
		 */
		public Builder activation(SocketActivation activation) {
			this.activation = Objects.requireNonNull(activation, "activation");
			return this;
		}

		/**
		 * New settings from the values of this builder, checked as the properties are.
		 * @return the settings
		 * @throws IllegalArgumentException if a size or count is not positive, a size is
		 * over its limit, {@code maxBufferedBytes} is below {@code maxMessageSize}, a
		 * timeout is negative or {@code writeTimeout} is zero
		 */
		public SocketServerSettings build() {
			if (this.maxMessageSize <= 0 || this.maxMessageSize > Integer.MAX_VALUE - 8) {
				throw new IllegalArgumentException(
						"maxMessageSize must be between 1 and 2047MB, was " + this.maxMessageSize);
			}
			if (this.maxConnections <= 0 || this.maxConnectionsPerPeer <= 0) {
				throw new IllegalArgumentException("maxConnections and maxConnectionsPerPeer must be positive, were "
						+ this.maxConnections + " and " + this.maxConnectionsPerPeer);
			}
			if (this.maxBufferedBytes < this.maxMessageSize) {
				throw new IllegalArgumentException("maxBufferedBytes must be at least maxMessageSize ("
						+ this.maxMessageSize + "), was " + this.maxBufferedBytes);
			}
			if (this.idleTimeout.isNegative() || this.frameTimeout.isNegative() || this.writeTimeout.isNegative()
					|| this.writeTimeout.isZero()) {
				throw new IllegalArgumentException(
						"idleTimeout and frameTimeout must not be negative and writeTimeout must be positive");
			}
			return new SocketServerSettings(this.name, this.binding, this.framing, this.maxMessageSize,
					this.maxConnections, this.maxConnectionsPerPeer, this.idleTimeout, this.frameTimeout,
					this.writeTimeout, this.maxBufferedBytes, this.dispatch, this.options, this.activation);
		}

	}

}
