package dev.ipcboot.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

import dev.ipcboot.IpcConfigurationException;
import dev.ipcboot.socket.ServerBinding;
import dev.ipcboot.socket.SocketActivation;
import dev.ipcboot.socket.SocketPermissions;
import dev.ipcboot.socket.shm.ShmClientSettings;
import dev.ipcboot.socket.shm.ShmServerSettings;

/**
 * Validates the {@code transport: shm} entries of {@code ipc.servers} and
 * {@code ipc.clients} and turns them into settings; every problem is an
 * {@link IpcConfigurationException} naming the property and the fix.
 */
final class ShmSettingsFactory {

	static final String AGRONA_CLASS = "org.agrona.concurrent.ringbuffer.OneToOneRingBuffer";

	private ShmSettingsFactory() {
	}

	static ShmServerSettings server(String name, SocketServerProperties.Server server,
			@Nullable ClassLoader classLoader) {
		String property = "ipc.servers." + name;
		requireLibraries(property, classLoader);
		SocketServerSettingsFactory.refuseUdpKeys(property, server);
		if (server.isAbstract()) {
			throw new IpcConfigurationException(property + ".abstract",
					"a shm server is met through a socket file, whose mode keeps other users out",
					"Remove abstract: true and give a path or name.");
		}
		if (server.getPermissions() != null && server.getPermissions() != SocketPermissions.USER) {
			throw new IpcConfigurationException(property + ".permissions",
					"a shm server admits only its own user (mode 0600) for now",
					"Remove permissions, or use transport: local for a socket other users may open.");
		}
		if (StringUtils.hasText(server.getSslBundle())) {
			throw new IpcConfigurationException(property + ".ssl-bundle",
					"a shm server never leaves the machine, so it has no TLS",
					"Remove ssl-bundle, or use transport: tcp for a TLS server.");
		}
		if (server.getClientAuth() != ServerBinding.ClientAuth.NONE) {
			throw new IpcConfigurationException(property + ".client-auth",
					"a shm server has no TLS, so it cannot ask for client certificates",
					"Remove client-auth; a shm server knows its peers by their uid (allowed-uids).");
		}
		if (server.getSystemdSocket() != null) {
			// it implies activation: optional, so name the key that was set
			throw new IpcConfigurationException(property + ".systemd-socket",
					"a shm server does not adopt a socket from systemd yet",
					"Remove systemd-socket, or use transport: local or tcp for a socket-activated server.");
		}
		if (server.getActivation() != SocketActivation.Mode.NONE) {
			throw new IpcConfigurationException(property + ".activation",
					"a shm server does not adopt a socket from systemd yet",
					"Remove activation, or use transport: local or tcp for a socket-activated server.");
		}
		ServerBinding.Local binding = SocketServerSettingsFactory.local(property, server);
		long ring = server.getRingSize().toBytes();
		if (ring < 4096 || ring > (1 << 30) || Long.bitCount(ring) != 1) {
			throw new IpcConfigurationException(property + ".ring-size",
					"must be a power of two between 4KB and 1GB, was " + server.getRingSize(),
					"Set ring-size to a power of two such as 1MB (a message over an eighth of it travels in pieces).");
		}
		long maxMessageSize = SocketServerSettingsFactory.maxMessageSize(property, server.getMaxMessageSize());
		if (server.getMaxConnections() <= 0) {
			throw new IpcConfigurationException(property + ".max-connections",
					"must be positive, was " + server.getMaxConnections(),
					"Set max-connections to 1 or more (each shm connection has a thread and memory of its own).");
		}
		requireSpin(property, server.getSpin());
		Duration write = server.getWriteTimeout();
		if (write.isNegative() || write.isZero()) {
			throw new IpcConfigurationException(property + ".write-timeout", "must be positive, was " + write,
					"Set write-timeout to how long a peer may leave its ring full, for example 10s.");
		}
		return new ShmServerSettings(name, Path.of(binding.address()), (int) ring, server.getSpin(),
				(int) maxMessageSize, server.getMaxConnections(), binding.allowedUids(), write);
	}

	static ShmClientSettings client(String name, SocketClientProperties.Client client,
			@Nullable ClassLoader classLoader) {
		String property = "ipc.clients." + name;
		requireLibraries(property, classLoader);
		SocketClientSettingsMapper.validate(name, client);
		if (client.isAbstractNamespace()) {
			throw new IpcConfigurationException(property + ".abstract", "a shm server is met through a socket file",
					"Remove abstract: true and give the server's path or name.");
		}
		if (StringUtils.hasText(client.getSslBundle())) {
			throw new IpcConfigurationException(property + ".ssl-bundle",
					"a shm client never leaves the machine, so it has no TLS",
					"Remove ssl-bundle, or use transport: tcp for a TLS client.");
		}
		requireSpin(property, client.getSpin());
		String path = StringUtils.hasText(client.getPath()) ? client.getPath()
				: QtLocalSocketNames.path(String.valueOf(client.getName()));
		return new ShmClientSettings(name, Path.of(path), client.getSpin(), client.getConnectTimeout(),
				client.getRequestTimeout(), client.getPoolSize(), client.isSubscribe(), client.getReconnectDelay(),
				client.getReconnectMaxDelay());
	}

	private static void requireSpin(String property, int spin) {
		if (spin < 0) {
			throw new IpcConfigurationException(property + ".spin", "must be 0 or positive, was " + spin,
					"Set spin to 0 (sleep at once, the default) or to the number of looks before sleeping, "
							+ "for example 10000 on a machine with a core to spare.");
		}
	}

	private static void requireLibraries(String property, @Nullable ClassLoader classLoader) {
		ClassLoader loader = (classLoader != null) ? classLoader : ShmSettingsFactory.class.getClassLoader();
		if (!ClassUtils.isPresent(AGRONA_CLASS, loader)) {
			throw new IpcConfigurationException(property + ".transport",
					"transport: shm needs Agrona, which is not on the class path",
					"Add org.agrona:agrona (the starter brings it), or use transport: local.");
		}
		if (!ClassUtils.isPresent("org.newsclub.net.unix.AFUNIXSocket", loader)
				|| !ClassUtils.isPresent("com.sun.jna.Native", loader)) {
			throw new IpcConfigurationException(property + ".transport",
					"transport: shm needs junixsocket and JNA, which are not on the class path",
					"Add com.kohlschutter.junixsocket:junixsocket-core and net.java.dev.jna:jna (the starter "
							+ "brings them), or use transport: local.");
		}
	}

}
