package dev.ipcboot.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.util.StringUtils;

import dev.ipcboot.IpcConfigurationException;
import dev.ipcboot.autoconfigure.SocketClientProperties.Client;
import dev.ipcboot.autoconfigure.SocketClientProperties.Transport;
import dev.ipcboot.socket.ClientEndpoint;
import dev.ipcboot.socket.IpcClientSettings;
import dev.ipcboot.socket.SocketOptions;

/**
 * Checks one {@code ipc.clients.<name>} entry and turns it into
 * {@link IpcClientSettings}. Keys that do not apply to the chosen transport are ignored,
 * so that changing {@code transport} is the only edit needed to move a client between
 * local and TCP.
 */
final class SocketClientSettingsMapper {

	private SocketClientSettingsMapper() {
	}

	static void validate(String name, Client client) {
		String prefix = "ipc.clients." + name + ".";
		if (client.getMulticastGroup() != null || client.getMulticastInterface() != null) {
			String key = (client.getMulticastGroup() != null) ? "multicast-group" : "multicast-interface";
			throw new IpcConfigurationException(prefix + key,
					key + " applies only to transport: udp, this client's transport is "
							+ client.getTransport().name().toLowerCase(java.util.Locale.ROOT),
					"Set transport: udp to send to a multicast group, or remove " + key + ".");
		}
		if (client.getTransport() != Transport.TCP) {
			validateLocal(prefix, client);
		}
		else {
			validateTcp(prefix, client);
		}
		long maxMessageSize = client.getMaxMessageSize().toBytes();
		if (maxMessageSize <= 0 || maxMessageSize > Integer.MAX_VALUE) {
			throw new IpcConfigurationException(prefix + "max-message-size",
					"max-message-size must be between 1B and 2GB but is " + client.getMaxMessageSize(),
					"Set it to the largest reply you expect, for example 1MB.");
		}
		requirePositive(prefix + "connect-timeout", client.getConnectTimeout());
		requirePositive(prefix + "request-timeout", client.getRequestTimeout());
		if (client.getPoolSize() <= 0) {
			throw new IpcConfigurationException(prefix + "pool-size",
					"pool-size must be positive but is " + client.getPoolSize(),
					"Set it to the most requests you want in flight at once, for example 8.");
		}
	}

	private static void validateLocal(String prefix, Client client) {
		boolean hasPath = StringUtils.hasText(client.getPath());
		boolean hasName = StringUtils.hasText(client.getName());
		if (hasPath && hasName) {
			throw new IpcConfigurationException(prefix + "path", "both path and name are set",
					"Set either " + prefix + "path (an absolute socket path) or " + prefix
							+ "name (a Qt-style name resolved in the temp directory), not both.");
		}
		if (!hasPath && !hasName) {
			throw new IpcConfigurationException(prefix + "path", "a local client needs the server's socket path",
					"Set " + prefix + "path to the server's absolute socket path, or " + prefix
							+ "name to its Qt-style name.");
		}
		if (hasPath && !client.getPath().startsWith("/")) {
			throw new IpcConfigurationException(prefix + "path", "path '" + client.getPath() + "' is not absolute",
					"Use an absolute socket path, or set " + prefix + "name for a name in the temp directory.");
		}
	}

	private static void validateTcp(String prefix, Client client) {
		if (!StringUtils.hasText(client.getHost())) {
			throw new IpcConfigurationException(prefix + "host", "a tcp client needs the server's host",
					"Set " + prefix + "host, for example 127.0.0.1.");
		}
		Integer port = client.getPort();
		if (port == null) {
			throw new IpcConfigurationException(prefix + "port", "a tcp client needs the server's port",
					"Set " + prefix + "port to the port the server listens on (1 to 65535).");
		}
		if (port < 1 || port > 65535) {
			throw new IpcConfigurationException(prefix + "port", "port " + port + " is out of range",
					"Use a port from 1 to 65535.");
		}
	}

	private static void requirePositive(String property, Duration duration) {
		if (duration.isZero() || duration.isNegative()) {
			throw new IpcConfigurationException(property, "the timeout must be positive but is " + duration,
					"Set a positive duration, for example 5s.");
		}
	}

	static IpcClientSettings toSettings(String name, Client client, @Nullable SslBundles sslBundles) {
		validate(name, client);
		if (client.isSubscribe()) {
			requirePositive("ipc.clients." + name + ".reconnect-delay", client.getReconnectDelay());
			requirePositive("ipc.clients." + name + ".reconnect-max-delay", client.getReconnectMaxDelay());
		}
		return new IpcClientSettings(name, endpoint(name, client, sslBundles), client.getFraming(),
				(int) client.getMaxMessageSize().toBytes(), client.getConnectTimeout(), client.getRequestTimeout(),
				client.getPoolSize(),
				client.isSubscribe()
						? new IpcClientSettings.Subscription(client.getReconnectDelay(), client.getReconnectMaxDelay())
						: null);
	}

	private static ClientEndpoint endpoint(String name, Client client, @Nullable SslBundles sslBundles) {
		if (client.getTransport() == Transport.TCP) {
			Integer port = client.getPort();
			SocketOptions options = client.socketOptions("ipc.clients." + name, SocketOptions.DEFAULT_BACKLOG);
			SslBundle bundle = SslBundleNames.resolve("ipc.clients." + name + ".ssl-bundle", client.getSslBundle(),
					sslBundles);
			if (bundle != null && sslBundles != null) {
				// follows spring.ssl.bundle.*.reload-on-update: new connections use the
				// rotated stores (and present the bundle's key, if it has one)
				return ClientEndpoint.tcp(client.getHost(), (port != null) ? port : 0, sslBundles,
						client.getSslBundle(), options);
			}
			return ClientEndpoint.tcp(client.getHost(), (port != null) ? port : 0, bundle, options);
		}
		String given = StringUtils.hasText(client.getPath()) ? client.getPath() : String.valueOf(client.getName());
		if (client.isAbstractNamespace()) {
			// Qt's AbstractNamespaceOption uses the name as given, not resolved in the
			// temp dir
			return ClientEndpoint.localAbstract(given);
		}
		return ClientEndpoint
			.local(Path.of(StringUtils.hasText(client.getPath()) ? given : QtLocalSocketNames.path(given)));
	}

}
