package dev.ipcboot.socket;

import java.time.Duration;
import java.util.List;

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
 */
public record IpcClientSettings(String name, ClientEndpoint endpoint, Framing framing, int maxMessageSize,
		Duration connectTimeout, Duration requestTimeout, int poolSize) {

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
