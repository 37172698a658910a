package dev.ipcboot.autoconfigure;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

import dev.ipcboot.IpcConfigurationException;
import dev.ipcboot.socket.ServerBinding;
import dev.ipcboot.socket.udp.UdpClientSettings;
import dev.ipcboot.socket.udp.UdpServerSettings;

/**
 * Validates the {@code transport: udp} entries of {@code ipc.servers} and
 * {@code ipc.clients} and turns them into settings; every problem, including a key that
 * UDP cannot honour, is an {@link IpcConfigurationException} naming the property and the
 * fix.
 */
final class UdpSettingsFactory {

	static final String ADAPTER_CLASS = "org.springframework.integration.ip.udp.inbound.UnicastReceivingChannelAdapter";

	private UdpSettingsFactory() {
	}

	@SuppressWarnings("deprecation")
	static UdpServerSettings server(String name, SocketServerProperties.Server server,
			@Nullable ClassLoader classLoader) {
		String property = "ipc.servers." + name;
		requireLibraries(property, classLoader);
		refuse(property, "path", StringUtils.hasText(server.getPath()), "a UDP server has an address and a port",
				"Remove path and set host and port.");
		refuse(property, "name", StringUtils.hasText(server.getName()), "a UDP server has an address and a port",
				"Remove name and set host and port.");
		refuse(property, "abstract", server.isAbstract(), "abstract names are for local sockets", "Remove abstract.");
		refuse(property, "permissions", server.getPermissions() != null, "a UDP port has no file mode",
				"Remove permissions; a UDP server on 127.0.0.1 (the default host) is reachable from this host only.");
		refuse(property, "allowed-uids", !server.getAllowedUids().isEmpty(),
				"a datagram carries no peer uid, only local sockets know it",
				"Remove allowed-uids, or use transport: local to admit peers by uid.");
		refuse(property, "ssl-bundle", StringUtils.hasText(server.getSslBundle()),
				"a UDP server has no TLS (DTLS is not supported)",
				"Remove ssl-bundle, or use transport: tcp for a TLS server.");
		refuse(property, "client-auth", server.getClientAuth() != ServerBinding.ClientAuth.NONE,
				"a UDP server has no TLS, so it cannot ask for client certificates",
				"Remove client-auth, or use transport: tcp with ssl-bundle.");
		refuse(property, "systemd-socket", server.getSystemdSocket() != null,
				"a UDP server does not adopt a socket from systemd",
				"Remove systemd-socket, or use transport: local or tcp for a socket-activated server.");
		refuse(property, "activation-name", server.getActivationName() != null,
				"a UDP server does not adopt a socket from systemd",
				"Remove activation-name, or use transport: local or tcp for a socket-activated server.");
		refuse(property, "activation",
				server.isActivationSet() && server.getActivation() != dev.ipcboot.socket.SocketActivation.Mode.NONE,
				"a UDP server does not adopt a socket from systemd",
				"Remove activation, or use transport: local or tcp for a socket-activated server.");
		int maxMessageSize = maxMessageSize(property, server.getMaxMessageSize().toBytes(),
				server.getMaxMessageSize().toString());
		InetAddress group = group(property, server.getMulticastGroup());
		int port = port(property, server.getPort(), group != null);
		int receiveBuffer = SocketServerSettingsFactory.bufferSize(property + ".receive-buffer-size",
				server.getReceiveBufferSize());
		int sendBuffer = SocketServerSettingsFactory.bufferSize(property + ".send-buffer-size",
				server.getSendBufferSize());
		NetworkInterface networkInterface = networkInterface(property, server.getMulticastInterface(), group);
		InetSocketAddress bind;
		if (group != null) {
			bind = new InetSocketAddress(group, port);
		}
		else {
			bind = new InetSocketAddress(address(property + ".host", server.getHost()), port);
		}
		return new UdpServerSettings(name, bind, group, networkInterface, maxMessageSize, receiveBuffer, sendBuffer);
	}

	static UdpClientSettings client(String name, SocketClientProperties.Client client,
			@Nullable ClassLoader classLoader) {
		String property = "ipc.clients." + name;
		requireLibraries(property, classLoader);
		refuse(property, "path", StringUtils.hasText(client.getPath()), "a UDP client sends to an address and a port",
				"Remove path and set host and port.");
		refuse(property, "name", StringUtils.hasText(client.getName()), "a UDP client sends to an address and a port",
				"Remove name and set host and port.");
		refuse(property, "abstract", client.isAbstractNamespace(), "abstract names are for local sockets",
				"Remove abstract.");
		refuse(property, "ssl-bundle", StringUtils.hasText(client.getSslBundle()),
				"a UDP client has no TLS (DTLS is not supported)",
				"Remove ssl-bundle, or use transport: tcp for a TLS client.");
		refuse(property, "subscribe", client.isSubscribe(), "UDP has no connection to keep open for pushes",
				"Remove subscribe, or configure a UDP server (transport: udp under ipc.servers) to receive datagrams.");
		int maxMessageSize = maxMessageSize(property, client.getMaxMessageSize().toBytes(),
				client.getMaxMessageSize().toString());
		Integer port = client.getPort();
		if (port == null) {
			throw new IpcConfigurationException(property + ".port", "a UDP client needs the server's port",
					"Set " + property + ".port to the port the server receives on (1 to 65535).");
		}
		if (port < 1 || port > 65535) {
			throw new IpcConfigurationException(property + ".port", "port " + port + " is out of range",
					"Use a port from 1 to 65535.");
		}
		Duration timeout = client.getRequestTimeout();
		if (timeout.isNegative() || timeout.isZero()) {
			throw new IpcConfigurationException(property + ".request-timeout", "must be positive, was " + timeout,
					"Set request-timeout to how long a request waits for its reply datagram, for example 2s.");
		}
		int ttl = timeToLive(property, client.getMulticastTimeToLive());
		int sendBuffer = SocketServerSettingsFactory.bufferSize(property + ".send-buffer-size",
				client.getSendBufferSize());
		InetAddress group = group(property, client.getMulticastGroup());
		NetworkInterface networkInterface = networkInterface(property, client.getMulticastInterface(), group);
		InetAddress destination = (group != null) ? group : address(property + ".host", client.getHost());
		return new UdpClientSettings(name, new InetSocketAddress(destination, port), group != null, networkInterface,
				ttl, client.isMulticastLoopback(), maxMessageSize, timeout, sendBuffer);
	}

	private static void refuse(String property, String key, boolean set, String problem, String action) {
		if (set) {
			throw new IpcConfigurationException(property + "." + key,
					key + " does not apply to transport: udp: " + problem, action);
		}
	}

	private static int maxMessageSize(String property, long bytes, String configured) {
		if (bytes <= 0) {
			throw new IpcConfigurationException(property + ".max-message-size",
					"must be between 1B and " + UdpServerSettings.MAX_DATAGRAM + "B, was " + configured,
					"Set max-message-size to the largest datagram you expect, for example 8KB.");
		}
		// the default of the stream transports (1MB) is more than any datagram holds
		return (int) Math.min(bytes, UdpServerSettings.MAX_DATAGRAM);
	}

	private static int port(String property, int port, boolean multicast) {
		if (port < 0 || port > 65535) {
			throw new IpcConfigurationException(property + ".port", "port " + port + " is out of range",
					"Use a port from 0 (a free one) to 65535.");
		}
		if (multicast && port == 0) {
			throw new IpcConfigurationException(property + ".port",
					"a multicast server needs the port its group's senders send to",
					"Set port to the group's port (1 to 65535).");
		}
		return port;
	}

	private static int timeToLive(String property, int ttl) {
		if (ttl < 0 || ttl > 255) {
			throw new IpcConfigurationException(property + ".multicast-time-to-live",
					"must be between 0 and 255, was " + ttl,
					"Set multicast-time-to-live to 1 (the local network, the default) or 0 (this host only).");
		}
		return ttl;
	}

	private static @Nullable InetAddress group(String property, @Nullable String group) {
		if (group == null) {
			return null;
		}
		InetAddress address;
		try {
			address = literal(group);
		}
		catch (UnknownHostException ex) {
			address = null;
		}
		if (address == null || !address.isMulticastAddress()) {
			throw new IpcConfigurationException(property + ".multicast-group",
					"'" + group + "' is not a multicast address",
					"Use an IPv4 address from 224.0.0.0/4 (for example 239.1.2.3, administratively scoped) or an"
							+ " IPv6 address from ff00::/8.");
		}
		return address;
	}

	private static @Nullable NetworkInterface networkInterface(String property, @Nullable String name,
			@Nullable InetAddress group) {
		if (name == null) {
			return null;
		}
		if (group == null) {
			throw new IpcConfigurationException(property + ".multicast-interface",
					"multicast-interface applies only with multicast-group",
					"Set multicast-group, or remove multicast-interface.");
		}
		NetworkInterface found;
		try {
			found = NetworkInterface.getByName(name);
		}
		catch (SocketException ex) {
			found = null;
		}
		if (found == null) {
			throw new IpcConfigurationException(property + ".multicast-interface",
					"there is no network interface '" + name + "' on this host",
					"Use the name of an interface (ip link lists them, for example lo or eth0), or remove"
							+ " multicast-interface to let the routing table choose.");
		}
		return found;
	}

	private static InetAddress address(String property, @Nullable String host) {
		if (!StringUtils.hasText(host)) {
			throw new IpcConfigurationException(property, "a UDP entry needs a host",
					"Set it to an address, for example 127.0.0.1 (this host only, the default).");
		}
		try {
			return InetAddress.getByName(host);
		}
		catch (UnknownHostException ex) {
			throw new IpcConfigurationException(property, "'" + host + "' is not an address of a known host",
					"Use an IP address such as 127.0.0.1 or ::1, or a name this host resolves.");
		}
	}

	/** An IP literal, without a name lookup; {@code null} if it is not one. */
	private static @Nullable InetAddress literal(String text) throws UnknownHostException {
		String trimmed = text.strip();
		boolean ipv4 = trimmed.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
		boolean ipv6 = trimmed.contains(":") && trimmed.matches("[0-9a-fA-F:.%a-zA-Z]+");
		return (ipv4 || ipv6) ? InetAddress.getByName(trimmed) : null;
	}

	private static void requireLibraries(String property, @Nullable ClassLoader classLoader) {
		ClassLoader loader = (classLoader != null) ? classLoader : UdpSettingsFactory.class.getClassLoader();
		if (!ClassUtils.isPresent(ADAPTER_CLASS, loader)) {
			throw new IpcConfigurationException(property + ".transport",
					"transport: udp needs Spring Integration IP, which is not on the class path",
					"Add org.springframework.integration:spring-integration-ip (the starter brings it), or use"
							+ " transport: local or tcp.");
		}
	}

}
