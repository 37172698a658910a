package dev.ipcboot.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;
import org.springframework.util.unit.DataSize;

import dev.ipcboot.IpcConfigurationException;
import dev.ipcboot.socket.ServerBinding;
import dev.ipcboot.socket.SocketActivation;
import dev.ipcboot.socket.SocketOptions;
import dev.ipcboot.socket.SocketPermissions;
import dev.ipcboot.socket.SocketServerSettings;

/**
 * Validates one {@code ipc.servers} entry and turns it into {@link SocketServerSettings};
 * every problem is an {@link IpcConfigurationException} naming the property and the fix.
 */
final class SocketServerSettingsFactory {

	private static final String JUNIXSOCKET_CLASS = "org.newsclub.net.unix.AFUNIXSocket";

	private SocketServerSettingsFactory() {
	}

	/**
	 * The largest message a server accepts, checked for every transport that frames.
	 * @param property the server's property prefix
	 * @param size the configured size
	 * @return the size in bytes
	 */
	static long maxMessageSize(String property, DataSize size) {
		long bytes = size.toBytes();
		if (bytes <= 0 || bytes > Integer.MAX_VALUE - 8) {
			throw new IpcConfigurationException(property + ".max-message-size",
					"must be between 1B and 2047MB, was " + size,
					"Set max-message-size to the largest message you expect, for example 1MB.");
		}
		return bytes;
	}

	static SocketServerSettings create(String name, SocketServerProperties.Server server,
			@Nullable SslBundles sslBundles) {
		String property = "ipc.servers." + name;
		refuseUdpKeys(property, server);
		ServerBinding binding = (server.getTransport() != SocketServerProperties.Transport.TCP)
				? local(property, server) : tcp(property, server, sslBundles);
		long maxMessageSize = maxMessageSize(property, server.getMaxMessageSize());
		if (server.getMaxConnections() <= 0) {
			throw new IpcConfigurationException(property + ".max-connections",
					"must be positive, was " + server.getMaxConnections(),
					"Set max-connections to 1 or more (default 1024).");
		}
		if (server.getMaxConnectionsPerPeer() <= 0) {
			throw new IpcConfigurationException(property + ".max-connections-per-peer",
					"must be positive, was " + server.getMaxConnectionsPerPeer(),
					"Set max-connections-per-peer to 1 or more (default 256).");
		}
		Duration idle = zeroOrPositive(property + ".idle-timeout", server.getIdleTimeout(), "5m");
		Duration frame = zeroOrPositive(property + ".frame-timeout", server.getFrameTimeout(), "30s");
		Duration write = server.getWriteTimeout();
		if (write.isNegative() || write.isZero()) {
			throw new IpcConfigurationException(property + ".write-timeout", "must be positive, was " + write,
					"Set write-timeout to how long a peer may leave output unread, for example 10s.");
		}
		long maxBuffered = server.getMaxBufferedBytes().toBytes();
		if (maxBuffered < maxMessageSize) {
			throw new IpcConfigurationException(property + ".max-buffered-bytes",
					"must be at least max-message-size (" + server.getMaxMessageSize() + "), was "
							+ server.getMaxBufferedBytes(),
					"Set max-buffered-bytes to what the server may hold for all its connections, for example 64MB.");
		}
		return new SocketServerSettings(name, binding, server.getFraming(), (int) maxMessageSize,
				server.getMaxConnections(), server.getMaxConnectionsPerPeer(), idle, frame, write, maxBuffered,
				server.getDispatch(), socketOptions(property, server), activation(name, property, server));
	}

	private static SocketOptions socketOptions(String property, SocketServerProperties.Server server) {
		if (server.getBacklog() < 1) {
			throw new IpcConfigurationException(property + ".backlog", "must be at least 1, was " + server.getBacklog(),
					"Set backlog to how many connections the kernel may queue before they are accepted (default "
							+ SocketOptions.DEFAULT_BACKLOG + ").");
		}
		return server.socketOptions(property, server.getBacklog());
	}

	/** A buffer size in bytes; 0 (unset) leaves the operating system's default. */
	static int bufferSize(String property, @Nullable DataSize size) {
		if (size == null) {
			return 0;
		}
		long bytes = size.toBytes();
		if (bytes < 1 || bytes > Integer.MAX_VALUE) {
			throw new IpcConfigurationException(property, "must be between 1B and 2047MB, was " + size,
					"Set it to a positive size such as 256KB, or remove it to keep the operating system's default.");
		}
		return (int) bytes;
	}

	/**
	 * The socket to adopt from systemd: {@code systemd-socket} (SPEC §11), or the
	 * deprecated {@code activation-name}, else the server's name.
	 */
	@SuppressWarnings("deprecation")
	static SocketActivation activation(String name, String property, SocketServerProperties.Server server) {
		String systemdSocket = server.getSystemdSocket();
		String activationName = server.getActivationName();
		if (systemdSocket != null) {
			requireSocketName(property + ".systemd-socket", systemdSocket);
			if (server.isActivationSet() && server.getActivation() == SocketActivation.Mode.NONE) {
				throw new IpcConfigurationException(property + ".systemd-socket",
						"systemd-socket asks to adopt the socket '" + systemdSocket
								+ "' but activation is none, which never adopts one",
						"Remove activation (systemd-socket then adopts the socket when systemd passed it and binds"
								+ " otherwise), set it to required, or remove systemd-socket.");
			}
			if (activationName != null && !activationName.equals(systemdSocket)) {
				throw new IpcConfigurationException(
						property + ".activation-name", "activation-name '" + activationName
								+ "' (deprecated) contradicts systemd-socket '" + systemdSocket + "'",
						"Remove activation-name; systemd-socket replaces it.");
			}
			return new SocketActivation(server.getActivation(), systemdSocket);
		}
		if (activationName == null) {
			return new SocketActivation(server.getActivation(), name);
		}
		requireSocketName(property + ".activation-name", activationName);
		return new SocketActivation(server.getActivation(), activationName);
	}

	private static void requireSocketName(String property, String socketName) {
		if (socketName.isBlank() || socketName.contains(":") || socketName.length() > 255) {
			throw new IpcConfigurationException(property, "'" + socketName + "' cannot be a systemd socket name",
					"Use the FileDescriptorName= of the socket unit: 1 to 255 characters without ':' (systemd's"
							+ " default is the unit's name, orders.socket passes orders).");
		}
	}

	/**
	 * The UDP keys name what only a UDP server has; on another transport they would be
	 * silently ignored.
	 */
	static void refuseUdpKeys(String property, SocketServerProperties.Server server) {
		if (server.getMulticastGroup() != null) {
			throw new IpcConfigurationException(property + ".multicast-group",
					"multicast-group applies only to transport: udp, this server's transport is "
							+ server.getTransport().name().toLowerCase(Locale.ROOT),
					"Set transport: udp to join a multicast group, or remove multicast-group.");
		}
		if (server.getMulticastInterface() != null) {
			throw new IpcConfigurationException(property + ".multicast-interface",
					"multicast-interface applies only to transport: udp with multicast-group",
					"Set transport: udp and multicast-group, or remove multicast-interface.");
		}
	}

	private static Duration zeroOrPositive(String property, Duration value, String example) {
		if (value.isNegative()) {
			throw new IpcConfigurationException(property, "must be 0 or positive, was " + value,
					"Set it to a positive duration such as " + example + ", or 0 for none.");
		}
		return value;
	}

	static ServerBinding.Local local(String property, SocketServerProperties.Server server) {
		if (!ClassUtils.isPresent(JUNIXSOCKET_CLASS, SocketServerSettingsFactory.class.getClassLoader())) {
			throw new IpcConfigurationException(property + ".transport",
					"local sockets need junixsocket, which is not on the class path",
					"Add com.kohlschutter.junixsocket:junixsocket-core (the starter brings it), or use transport: tcp.");
		}
		if (server.getClientAuth() != ServerBinding.ClientAuth.NONE) {
			throw new IpcConfigurationException(property + ".client-auth",
					"client certificates are only for transport: tcp with ssl-bundle",
					"Remove client-auth: a local socket has no TLS; admit peers with permissions and allowed-uids.");
		}
		if (StringUtils.hasText(server.getSslBundle())) {
			throw new IpcConfigurationException(property + ".ssl-bundle", "TLS is only for transport: tcp",
					"Remove ssl-bundle: a local socket never leaves the machine, use permissions and allowed-uids.");
		}
		String path = server.getPath();
		String qtName = server.getName();
		if (StringUtils.hasText(path) && StringUtils.hasText(qtName)) {
			throw new IpcConfigurationException(property + ".path",
					"both path (" + path + ") and name (" + qtName + ") are set",
					"Set either path (an absolute socket path) or name (resolved in $TMPDIR or /tmp), not both.");
		}
		if (!StringUtils.hasText(path) && !StringUtils.hasText(qtName)) {
			throw new IpcConfigurationException(property + ".path", "a local server needs a path or a name",
					"Set path to an absolute socket path (for example /run/user/1000/app.sock) or name to a"
							+ " Qt-style server name.");
		}
		String address;
		if (server.isAbstract()) {
			if (server.getPermissions() != null) {
				throw new IpcConfigurationException(property + ".permissions",
						"an abstract socket name has no file, so permissions ("
								+ server.getPermissions().name().toLowerCase(Locale.ROOT)
								+ ") cannot apply: any local user could connect",
						"Remove permissions; an abstract server admits only this application's user unless"
								+ " allowed-uids lists others (or drop abstract: true to get a socket file with a mode).");
			}
			address = StringUtils.hasText(path) ? path : qtName;
		}
		else if (StringUtils.hasText(path)) {
			if (!Path.of(path).isAbsolute()) {
				throw new IpcConfigurationException(property + ".path", "'" + path + "' is not an absolute path",
						"Give an absolute socket path, or use name for a path in the temp directory.");
			}
			address = path;
		}
		else {
			address = QtLocalSocketNames.path(qtName);
		}
		String addressKey = StringUtils.hasText(path) ? "path" : "name";
		SocketPermissions permissions = server.getPermissions();
		return new ServerBinding.Local(address, addressKey, server.isAbstract(),
				(permissions != null) ? permissions : SocketPermissions.USER, new HashSet<>(server.getAllowedUids()));
	}

	private static ServerBinding.Tcp tcp(String property, SocketServerProperties.Server server,
			@Nullable SslBundles sslBundles) {
		if (server.getPort() < 0 || server.getPort() > 65535) {
			throw new IpcConfigurationException(property + ".port", "port " + server.getPort() + " is out of range",
					"Set port between 1 and 65535, or 0 for a free port (published as local.ipc.server."
							+ property.substring("ipc.servers.".length()) + ".port).");
		}
		if (!StringUtils.hasText(server.getHost())) {
			throw new IpcConfigurationException(property + ".host", "a TCP server needs a host to listen on",
					"Set host to 127.0.0.1 (loopback, the default) or the address of one interface.");
		}
		if (!server.getAllowedUids().isEmpty()) {
			throw new IpcConfigurationException(property + ".allowed-uids",
					"peer uids are only known for transport: local",
					"Remove allowed-uids, or use transport: local; protect TCP with ssl-bundle and host.");
		}
		SslBundle bundle = SslBundleNames.resolve(property + ".ssl-bundle", server.getSslBundle(), sslBundles);
		ServerBinding.ClientAuth clientAuth = server.getClientAuth();
		if (bundle == null) {
			if (clientAuth != ServerBinding.ClientAuth.NONE) {
				throw new IpcConfigurationException(property + ".client-auth",
						"client-auth " + clientAuth.name().toLowerCase(Locale.ROOT)
								+ " needs TLS, but no ssl-bundle is set",
						"Set ssl-bundle to a Spring Boot SSL bundle whose trust store holds the CA of the clients'"
								+ " certificates, or remove client-auth.");
			}
			return new ServerBinding.Tcp(server.getHost(), server.getPort());
		}
		if (clientAuth != ServerBinding.ClientAuth.NONE && bundle.getStores().getTrustStore() == null) {
			throw new IpcConfigurationException(property + ".client-auth",
					"client-auth " + clientAuth.name().toLowerCase(Locale.ROOT) + " checks client certificates"
							+ " against the trust store of SSL bundle '" + server.getSslBundle() + "', which has none",
					"Give the bundle a trust store (spring.ssl.bundle.pem." + server.getSslBundle()
							+ ".truststore.certificate or spring.ssl.bundle.jks." + server.getSslBundle()
							+ ".truststore.location) holding the CA of the clients' certificates.");
		}
		return tcpTls(server.getHost(), server.getPort(), bundle, clientAuth);
	}

	/** The TCP binding of a TLS server from its SSL bundle. */
	static ServerBinding.Tcp tcpTls(String host, int port, SslBundle bundle, ServerBinding.ClientAuth clientAuth) {
		SslOptions options = bundle.getOptions();
		return new ServerBinding.Tcp(host, port, bundle.createSslContext(), listOf(options.getEnabledProtocols()),
				listOf(options.getCiphers()), clientAuth);
	}

	private static List<String> listOf(String @Nullable [] values) {
		return (values != null) ? List.of(values) : List.of();
	}

}
