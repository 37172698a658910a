package dev.ipcboot.socket;

import java.time.Duration;
import java.util.List;

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

}
