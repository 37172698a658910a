package dev.ipcboot.socket.shm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything a {@code ShmIpcClient} (in {@code internal}) needs, validated by the
 * auto-configuration.
 *
 * @param name name of the client
 * @param path the server's Unix-domain socket
 * @param spin how many times a waiting request looks at its ring before it sleeps
 * @param connectTimeout how long connecting and receiving the memory may take
 * @param requestTimeout how long a request waits for a free connection, for room and for
 * its reply
 * @param poolSize connections open at once, which is requests in flight at once
 * @param subscribe whether the client keeps a connection open whose pushes go to
 * {@code @IpcListener("<name>")}
 * @param reconnectDelay first wait before the subscription connects again; doubles
 * @param reconnectMaxDelay longest wait between two connection attempts
 */
public record ShmClientSettings(String name, Path path, int spin, Duration connectTimeout, Duration requestTimeout,
		int poolSize, boolean subscribe, Duration reconnectDelay, Duration reconnectMaxDelay) {

	/**
	 * Settings of a client that does not subscribe.
	 * @param name name of the client
	 * @param path the server's Unix-domain socket
	 * @param spin looks at the ring before sleeping
	 * @param connectTimeout how long connecting may take
	 * @param requestTimeout how long a request may take
	 * @param poolSize connections open at once
	 */
	public ShmClientSettings(String name, Path path, int spin, Duration connectTimeout, Duration requestTimeout,
			int poolSize) {
		this(name, path, spin, connectTimeout, requestTimeout, poolSize, false, Duration.ofMillis(100),
				Duration.ofSeconds(5));
	}

	/**
	 * The property that defines this client, for messages.
	 * @return {@code ipc.clients.<name>}
	 */
	public String property() {
		return "ipc.clients." + this.name;
	}

	/**
	 * A builder holding these settings, to change some of them (what a
	 * {@code ShmClientCustomizer} bean receives).
	 * @return a builder; {@link Builder#build()} makes new settings
	 */
	public Builder toBuilder() {
		return new Builder(this);
	}

	/**
	 * Settings of a shm client being changed ({@link ShmClientSettings#toBuilder()}). The
	 * name stays: it names the client's bean and properties; so does whether it
	 * subscribes, which decides the beans it has. Each value has a getter and a setter of
	 * the same name.
	 */
	public static final class Builder {

		private final ShmClientSettings settings;

		private Path path;

		private int spin;

		private Duration connectTimeout;

		private Duration requestTimeout;

		private int poolSize;

		private Duration reconnectDelay;

		private Duration reconnectMaxDelay;

		private Builder(ShmClientSettings settings) {
			this.settings = settings;
			this.path = settings.path;
			this.spin = settings.spin;
			this.connectTimeout = settings.connectTimeout;
			this.requestTimeout = settings.requestTimeout;
			this.poolSize = settings.poolSize;
			this.reconnectDelay = settings.reconnectDelay;
			this.reconnectMaxDelay = settings.reconnectMaxDelay;
		}

		/**
		 * Name of the entry, to pick the ones a customizer changes.
		 * @return the name
		 */
		public String name() {
			return this.settings.name;
		}

		/**
		 * Whether the client keeps a connection open for pushes.
		 * @return the value
		 */
		public boolean subscribe() {
			return this.settings.subscribe;
		}

		/**
		 * The server's Unix-domain socket.
		 * @return the value
		 */
		public Path path() {
			return this.path;
		}

		/**
		 * Set the server's Unix-domain socket.
		 * @param path an absolute path
		 * @return this builder
		 */
		public Builder path(Path path) {
			this.path = Objects.requireNonNull(path, "path");
			return this;
		}

		/**
		 * How many times a waiting request looks at its ring before it sleeps.
		 * @return the value
		 */
		public int spin() {
			return this.spin;
		}

		/**
		 * Set how many times a waiting request looks at its ring before it sleeps.
		 * @param spin 0 or more; 0 sleeps at once
		 * @return this builder
		 */
		public Builder spin(int spin) {
			this.spin = spin;
			return this;
		}

		/**
		 * How long connecting and receiving the memory may take.
		 * @return the value
		 */
		public Duration connectTimeout() {
			return this.connectTimeout;
		}

		/**
		 * Set how long connecting and receiving the memory may take.
		 * @param connectTimeout a positive duration
		 * @return this builder
		 */
		public Builder connectTimeout(Duration connectTimeout) {
			this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
			return this;
		}

		/**
		 * How long a request waits for a free connection, for room and for its reply.
		 * @return the value
		 */
		public Duration requestTimeout() {
			return this.requestTimeout;
		}

		/**
		 * Set how long a request waits for a free connection, for room and for its reply.
		 * @param requestTimeout a positive duration
		 * @return this builder
		 */
		public Builder requestTimeout(Duration requestTimeout) {
			this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
			return this;
		}

		/**
		 * Connections open at once.
		 * @return the value
		 */
		public int poolSize() {
			return this.poolSize;
		}

		/**
		 * Set the connections open at once, which is requests in flight at once.
		 * @param poolSize 1 or more
		 * @return this builder
		 */
		public Builder poolSize(int poolSize) {
			this.poolSize = poolSize;
			return this;
		}

		/**
		 * First wait before the subscription connects again.
		 * @return the value
		 */
		public Duration reconnectDelay() {
			return this.reconnectDelay;
		}

		/**
		 * Set the first wait before the subscription connects again; it doubles.
		 * @param reconnectDelay a positive duration
		 * @return this builder
		 */
		public Builder reconnectDelay(Duration reconnectDelay) {
			this.reconnectDelay = Objects.requireNonNull(reconnectDelay, "reconnectDelay");
			return this;
		}

		/**
		 * Longest wait between two connection attempts.
		 * @return the value
		 */
		public Duration reconnectMaxDelay() {
			return this.reconnectMaxDelay;
		}

		/**
		 * Set the longest wait between two connection attempts.
		 * @param reconnectMaxDelay a positive duration
		 * @return this builder
		 */
		public Builder reconnectMaxDelay(Duration reconnectMaxDelay) {
			this.reconnectMaxDelay = Objects.requireNonNull(reconnectMaxDelay, "reconnectMaxDelay");
			return this;
		}

		/**
		 * New settings from the values of this builder, checked as the properties are.
		 * @return the settings
		 * @throws IllegalArgumentException if {@code path} is not absolute, {@code spin}
		 * is negative, {@code poolSize} or a duration is not positive
		 */
		public ShmClientSettings build() {
			if (!this.path.isAbsolute()) {
				throw new IllegalArgumentException("path must be absolute, was " + this.path);
			}
			if (this.spin < 0) {
				throw new IllegalArgumentException("spin must be 0 or positive, was " + this.spin);
			}
			if (this.poolSize <= 0) {
				throw new IllegalArgumentException("poolSize must be positive, was " + this.poolSize);
			}
			for (Duration duration : new Duration[] { this.connectTimeout, this.requestTimeout, this.reconnectDelay,
					this.reconnectMaxDelay }) {
				if (duration.isNegative() || duration.isZero()) {
					throw new IllegalArgumentException(
							"connectTimeout, requestTimeout, reconnectDelay and reconnectMaxDelay must be positive, were "
									+ this.connectTimeout + ", " + this.requestTimeout + ", " + this.reconnectDelay
									+ " and " + this.reconnectMaxDelay);
				}
			}
			ShmClientSettings from = this.settings;
			return new ShmClientSettings(from.name, this.path, this.spin, this.connectTimeout, this.requestTimeout,
					this.poolSize, from.subscribe, this.reconnectDelay, this.reconnectMaxDelay);
		}

	}

}
