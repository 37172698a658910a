package dev.ipcboot.socket;

import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Immutable settings of one {@link IpcClient}, made by auto-configuration from
 * {@code ipc.clients.<name>}.
 *
 * @param name the client's name in configuration
 * @param endpoint where it connects
 * @param framing the framing, the same as the server's
 * @param maxMessageSize largest reply accepted, in bytes
 * @param connectTimeout how long connecting (and a TLS handshake) may take
 * @param requestTimeout how long to wait for a free connection, for a write and then for
 * a reply
 * @param poolSize most connections open at once, so most requests in flight at once
 * @param subscription how the client keeps a connection open for the server's pushes, or
 * {@code null} when it does not subscribe
 */
public record IpcClientSettings(String name, ClientEndpoint endpoint, Framing framing, int maxMessageSize,
		Duration connectTimeout, Duration requestTimeout, int poolSize, @Nullable Subscription subscription) {

	/**
	 * Settings of a client that does not subscribe.
	 * @param name the client's name in configuration
	 * @param endpoint where it connects
	 * @param framing the framing, the same as the server's
	 * @param maxMessageSize largest reply accepted, in bytes
	 * @param connectTimeout how long connecting (and a TLS handshake) may take
	 * @param requestTimeout how long to wait for a free connection, for a write and then
	 * for a reply
	 * @param poolSize most connections open at once
	 */
	public IpcClientSettings(String name, ClientEndpoint endpoint, Framing framing, int maxMessageSize,
			Duration connectTimeout, Duration requestTimeout, int poolSize) {
		this(name, endpoint, framing, maxMessageSize, connectTimeout, requestTimeout, poolSize, null);
	}

	/**
	 * How a subscribing client reconnects.
	 *
	 * @param reconnectDelay first wait after the connection was lost; it doubles
	 * @param reconnectMaxDelay longest wait
	 */
	public record Subscription(Duration reconnectDelay, Duration reconnectMaxDelay) {
	}

	/**
	 * Check the settings.
	 * @throws IllegalArgumentException if the framing is unknown or a size or timeout is
	 * not positive
	 */
	public IpcClientSettings {
		if (maxMessageSize <= 0 || poolSize <= 0) {
			throw new IllegalArgumentException("maxMessageSize and poolSize must be positive");
		}
		if (connectTimeout.isNegative() || connectTimeout.isZero() || requestTimeout.isNegative()
				|| requestTimeout.isZero()) {
			throw new IllegalArgumentException("connectTimeout and requestTimeout must be positive");
		}
	}

	/**
	 * A builder holding these settings, to change some of them (what an
	 * {@code IpcClientCustomizer} bean receives).
	 * @return a builder; {@link Builder#build()} makes new settings
	 */
	public Builder toBuilder() {
		return new Builder(this);
	}

	/**
	 * Builds {@link IpcClientSettings}, starting from existing ones
	 * ({@link IpcClientSettings#toBuilder()}). The name stays: it names the client's bean
	 * and properties; so does whether the client subscribes (its bean is registered as a
	 * channel or not before any customizer runs), only a subscription's delays change.
	 * Each value has a getter and a setter of the same name.
	 */
	public static final class Builder {

		private final String name;

		private ClientEndpoint endpoint;

		private Framing framing;

		private int maxMessageSize;

		private Duration connectTimeout;

		private Duration requestTimeout;

		private int poolSize;

		private @Nullable Subscription subscription;

		private Builder(IpcClientSettings settings) {
			this.name = settings.name;
			this.endpoint = settings.endpoint;
			this.framing = settings.framing;
			this.maxMessageSize = settings.maxMessageSize;
			this.connectTimeout = settings.connectTimeout;
			this.requestTimeout = settings.requestTimeout;
			this.poolSize = settings.poolSize;
			this.subscription = settings.subscription;
		}

		/**
		 * The client's name in configuration.
		 * @return the name
		 */
		public String name() {
			return this.name;
		}

		/**
		 * The current value: where it connects.
		 * @return the value
		 */
		public ClientEndpoint endpoint() {
			return this.endpoint;
		}

		/**
		 * Set where it connects.
		 * @param endpoint the new value
		 * @return this builder
		 */
		public Builder endpoint(ClientEndpoint endpoint) {
			this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
			return this;
		}

		/**
		 * The current value: the framing, the same as the server's.
		 * @return the value
		 */
		public Framing framing() {
			return this.framing;
		}

		/**
		 * Set the framing, the same as the server's.
		 * @param framing the new value
		 * @return this builder
		 */
		public Builder framing(Framing framing) {
			this.framing = Objects.requireNonNull(framing, "framing");
			return this;
		}

		/**
		 * The current value: largest reply accepted, in bytes.
		 * @return the value
		 */
		public int maxMessageSize() {
			return this.maxMessageSize;
		}

		/**
		 * Set largest reply accepted, in bytes.
		 * @param maxMessageSize the new value
		 * @return this builder
		 */
		public Builder maxMessageSize(int maxMessageSize) {
			this.maxMessageSize = maxMessageSize;
			return this;
		}

		/**
		 * The current value: how long connecting (and a TLS handshake) may take.
		 * @return the value
		 */
		public Duration connectTimeout() {
			return this.connectTimeout;
		}

		/**
		 * Set how long connecting (and a TLS handshake) may take.
		 * @param connectTimeout the new value
		 * @return this builder
		 */
		public Builder connectTimeout(Duration connectTimeout) {
			this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
			return this;
		}

		/**
		 * The current value: how long to wait for a free connection, for a write and then
		 * for a reply.
		 * @return the value
		 */
		public Duration requestTimeout() {
			return this.requestTimeout;
		}

		/**
		 * Set how long to wait for a free connection, for a write and then for a reply.
		 * @param requestTimeout the new value
		 * @return this builder
		 */
		public Builder requestTimeout(Duration requestTimeout) {
			this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
			return this;
		}

		/**
		 * The current value: most connections open at once.
		 * @return the value
		 */
		public int poolSize() {
			return this.poolSize;
		}

		/**
		 * Set most connections open at once.
		 * @param poolSize the new value
		 * @return this builder
		 */
		public Builder poolSize(int poolSize) {
			this.poolSize = poolSize;
			return this;
		}

		/**
		 * The current value: how a subscribing client reconnects.
		 * @return the subscription, or {@code null} when the client does not subscribe
		 */
		public @Nullable Subscription subscription() {
			return this.subscription;
		}

		/**
		 * Set how a subscribing client reconnects.
		 * @param subscription the new reconnect delays
		 * @return this builder
		 * @throws IllegalStateException if the client does not subscribe
		 * ({@code subscribe: true} decides that)
		 */
		public Builder subscription(Subscription subscription) {
			Objects.requireNonNull(subscription, "subscription");
			if (this.subscription == null) {
				throw new IllegalStateException("client '" + this.name
						+ "' does not subscribe; set subscribe: true in its properties to subscribe");
			}
			this.subscription = subscription;
			return this;
		}

		/**
		 * New settings from the values of this builder.
		 * @return the settings
		 * @throws IllegalArgumentException if a size or timeout is not positive
		 */
		public IpcClientSettings build() {
			return new IpcClientSettings(this.name, this.endpoint, this.framing, this.maxMessageSize,
					this.connectTimeout, this.requestTimeout, this.poolSize, this.subscription);
		}

	}

}
