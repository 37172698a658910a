package dev.ipcboot.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.DeprecatedConfigurationProperty;
import org.springframework.util.unit.DataSize;

import dev.ipcboot.socket.Framing;
import dev.ipcboot.socket.ServerBinding;
import dev.ipcboot.socket.SocketActivation;
import dev.ipcboot.socket.SocketOptions;
import dev.ipcboot.socket.SocketPermissions;
import dev.ipcboot.socket.SocketServerSettings;

/**
 * Socket servers ({@code ipc.servers}): each entry is a local (Unix-domain), TCP or UDP
 * server and a channel for {@code @IpcListener}.
 */
@ConfigurationProperties("ipc")
public class SocketServerProperties {

	/**
	 * Socket servers by name; the name is the channel name for @IpcListener.
	 */
	private final Map<String, Server> servers = new LinkedHashMap<>();

	public Map<String, Server> getServers() {
		return this.servers;
	}

	/**
	 * Transport of a server.
	 */
	public enum Transport {

		/** Unix-domain socket on this machine. */
		LOCAL,

		/** TCP, optionally with TLS. */
		TCP,

		/** Shared-memory rings on this machine, met through a Unix-domain socket. */
		SHM,

		/** UDP datagrams: one datagram is one message; optionally a multicast group. */
		UDP

	}

	/**
	 * One socket server.
	 */
	public static class Server extends TcpOptionProperties {

		/**
		 * Transport: local (Unix-domain socket), tcp, or shm (shared-memory rings on this
		 * machine, met through a local socket at 'path' or 'name').
		 */
		private Transport transport = Transport.LOCAL;

		/**
		 * Shm: bytes of each of a connection's two rings, a power of two; a message
		 * longer than an eighth of it travels in pieces.
		 */
		private DataSize ringSize = DataSize.ofMegabytes(1);

		/**
		 * Shm: how many times a waiting side looks at its ring before it sleeps; 0 (the
		 * default) sleeps at once. For machines with cores to spare: lower latency for
		 * CPU burnt while waiting.
		 */
		private int spin = 0;

		/**
		 * Local: absolute path of the socket file. Exclusive with 'name'.
		 */
		private @Nullable String path;

		/**
		 * Local: Qt-style server name, resolved in $TMPDIR or /tmp (or used as the
		 * abstract name). Exclusive with 'path'.
		 */
		private @Nullable String name;

		/**
		 * Local: whether the address is a Linux abstract-namespace name (no file), as
		 * with Qt 6's AbstractNamespaceOption.
		 */
		private boolean abstractNamespace;

		/**
		 * Local: who may connect to the socket file: user (0600, the default), group
		 * (0660), other (0606) or world (0666). Not for abstract names, which have no
		 * file: use allowed-uids there.
		 */
		private @Nullable SocketPermissions permissions;

		/**
		 * Local: user ids allowed to connect, checked with the kernel's peer credentials;
		 * empty allows any peer the file mode lets in, or, for an abstract name, only the
		 * application's own user.
		 */
		private List<Integer> allowedUids = new ArrayList<>();

		/**
		 * TCP and UDP: address of the interface to listen on; loopback unless set.
		 */
		private String host = "127.0.0.1";

		/**
		 * TCP and UDP: port to listen on; 0 picks a free one, published as
		 * local.ipc.server.<name>.port.
		 */
		private int port = 0;

		/**
		 * TCP: name of a Spring Boot SSL bundle (spring.ssl.bundle.*) that turns on TLS.
		 */
		private @Nullable String sslBundle;

		/**
		 * How messages are delimited: line, crlf, length-prefixed (4-byte big-endian
		 * length, as Qt's QDataStream writes a QByteArray), stx-etx or raw.
		 */
		private Framing framing = Framing.LINE;

		/**
		 * Largest message accepted or sent; a longer one closes the connection (UDP: a
		 * longer datagram is dropped; at most 65507 bytes).
		 */
		private DataSize maxMessageSize = DataSize.ofMegabytes(1);

		/**
		 * Most connections open at once; more are closed as soon as they are accepted.
		 */
		private int maxConnections = 1024;

		/**
		 * Most connections open at once from one peer: one uid on a local socket, one
		 * remote address on TCP.
		 */
		private int maxConnectionsPerPeer = 256;

		/**
		 * Close a connection after this long without a complete frame (counted from the
		 * end of the last one, or from accept); 0 means never.
		 */
		private Duration idleTimeout = Duration.ZERO;

		/**
		 * Close a connection whose frame is not complete this long after its first byte;
		 * 0 means never.
		 */
		private Duration frameTimeout = Duration.ofSeconds(30);

		/**
		 * Close a connection whose peer reads nothing for this long while output waits
		 * for it (what was queued is dropped); a sender waits at most this long for room.
		 */
		private Duration writeTimeout = Duration.ofSeconds(10);

		/**
		 * Most bytes of unfinished and not yet handled frames the server holds across all
		 * its connections; beyond it, connections are not read until bytes are released.
		 */
		private DataSize maxBufferedBytes = DataSize.ofMegabytes(64);

		/**
		 * Where the listener is called: workers (the engine's bounded pool, the default;
		 * a listener may block) or event-loop (on the thread that read the message, with
		 * no hand-off: fastest, but only for listeners that never block).
		 */
		private SocketServerSettings.Dispatch dispatch = SocketServerSettings.Dispatch.WORKERS;

		/**
		 * Connections the kernel queues before they are accepted (listen backlog, capped
		 * by net.core.somaxconn); ignored for a socket adopted from systemd (Backlog= of
		 * its unit).
		 */
		private int backlog = SocketOptions.DEFAULT_BACKLOG;

		/**
		 * Whether the server takes its listening socket from systemd (socket activation):
		 * none binds as configured, optional adopts a passed socket and otherwise binds,
		 * required fails start-up without one. Unset: none, or optional when
		 * systemd-socket is set.
		 */
		private SocketActivation.@Nullable Mode activation;

		/**
		 * Adopt the socket systemd passed under this name (LISTEN_FDNAMES, the unit's
		 * FileDescriptorName=); without activation set, the server binds as configured
		 * when no such socket was passed (activation: optional).
		 */
		private @Nullable String systemdSocket;

		/**
		 * Deprecated alias of systemd-socket that does not turn activation on by itself.
		 */
		private @Nullable String activationName;

		/**
		 * UDP: a multicast group (224.0.0.0/4 or ff00::/8) to join; the server then
		 * receives what is sent to the group on port.
		 */
		private @Nullable String multicastGroup;

		/**
		 * UDP multicast: name of the network interface to join the group on (for example
		 * lo or eth0); unset lets the routing table choose.
		 */
		private @Nullable String multicastInterface;

		public Transport getTransport() {
			return this.transport;
		}

		public void setTransport(Transport transport) {
			this.transport = transport;
		}

		public DataSize getRingSize() {
			return this.ringSize;
		}

		public void setRingSize(DataSize ringSize) {
			this.ringSize = ringSize;
		}

		public int getSpin() {
			return this.spin;
		}

		public void setSpin(int spin) {
			this.spin = spin;
		}

		public @Nullable String getPath() {
			return this.path;
		}

		public void setPath(@Nullable String path) {
			this.path = path;
		}

		public @Nullable String getName() {
			return this.name;
		}

		public void setName(@Nullable String name) {
			this.name = name;
		}

		public boolean isAbstract() {
			return this.abstractNamespace;
		}

		public void setAbstract(boolean abstractNamespace) {
			this.abstractNamespace = abstractNamespace;
		}

		public @Nullable SocketPermissions getPermissions() {
			return this.permissions;
		}

		public void setPermissions(@Nullable SocketPermissions permissions) {
			this.permissions = permissions;
		}

		public List<Integer> getAllowedUids() {
			return this.allowedUids;
		}

		public void setAllowedUids(List<Integer> allowedUids) {
			this.allowedUids = allowedUids;
		}

		public String getHost() {
			return this.host;
		}

		public void setHost(String host) {
			this.host = host;
		}

		public int getPort() {
			return this.port;
		}

		public void setPort(int port) {
			this.port = port;
		}

		public @Nullable String getSslBundle() {
			return this.sslBundle;
		}

		public void setSslBundle(@Nullable String sslBundle) {
			this.sslBundle = sslBundle;
		}

		public Framing getFraming() {
			return this.framing;
		}

		public void setFraming(Framing framing) {
			this.framing = framing;
		}

		public DataSize getMaxMessageSize() {
			return this.maxMessageSize;
		}

		public void setMaxMessageSize(DataSize maxMessageSize) {
			this.maxMessageSize = maxMessageSize;
		}

		public int getMaxConnections() {
			return this.maxConnections;
		}

		public void setMaxConnections(int maxConnections) {
			this.maxConnections = maxConnections;
		}

		public int getMaxConnectionsPerPeer() {
			return this.maxConnectionsPerPeer;
		}

		public void setMaxConnectionsPerPeer(int maxConnectionsPerPeer) {
			this.maxConnectionsPerPeer = maxConnectionsPerPeer;
		}

		public Duration getFrameTimeout() {
			return this.frameTimeout;
		}

		public void setFrameTimeout(Duration frameTimeout) {
			this.frameTimeout = frameTimeout;
		}

		public Duration getWriteTimeout() {
			return this.writeTimeout;
		}

		public void setWriteTimeout(Duration writeTimeout) {
			this.writeTimeout = writeTimeout;
		}

		public DataSize getMaxBufferedBytes() {
			return this.maxBufferedBytes;
		}

		public void setMaxBufferedBytes(DataSize maxBufferedBytes) {
			this.maxBufferedBytes = maxBufferedBytes;
		}

		public SocketServerSettings.Dispatch getDispatch() {
			return this.dispatch;
		}

		public void setDispatch(SocketServerSettings.Dispatch dispatch) {
			this.dispatch = dispatch;
		}

		public Duration getIdleTimeout() {
			return this.idleTimeout;
		}

		public void setIdleTimeout(Duration idleTimeout) {
			this.idleTimeout = idleTimeout;
		}

		/**
		 * TCP with ssl-bundle: whether TLS clients must present a certificate that the
		 * bundle's trust store accepts: none, want (asked for, optional) or need.
		 */
		private ServerBinding.ClientAuth clientAuth = ServerBinding.ClientAuth.NONE;

		public ServerBinding.ClientAuth getClientAuth() {
			return this.clientAuth;
		}

		public void setClientAuth(ServerBinding.ClientAuth clientAuth) {
			this.clientAuth = clientAuth;
		}

		public int getBacklog() {
			return this.backlog;
		}

		public void setBacklog(int backlog) {
			this.backlog = backlog;
		}

		/**
		 * The activation mode in effect: as set, else optional when systemd-socket is
		 * set, else none.
		 * @return the mode
		 */
		public SocketActivation.Mode getActivation() {
			if (this.activation != null) {
				return this.activation;
			}
			return (this.systemdSocket != null) ? SocketActivation.Mode.OPTIONAL : SocketActivation.Mode.NONE;
		}

		public void setActivation(SocketActivation.Mode activation) {
			this.activation = activation;
		}

		/**
		 * Whether activation was set, rather than implied.
		 * @return whether it was set
		 */
		public boolean isActivationSet() {
			return this.activation != null;
		}

		public @Nullable String getSystemdSocket() {
			return this.systemdSocket;
		}

		public void setSystemdSocket(@Nullable String systemdSocket) {
			this.systemdSocket = systemdSocket;
		}

		@Deprecated(since = "0.1.0")
		@DeprecatedConfigurationProperty(replacement = "ipc.servers.<name>.systemd-socket",
				reason = "SPEC §11 names the key systemd-socket")
		public @Nullable String getActivationName() {
			return this.activationName;
		}

		@Deprecated(since = "0.1.0")
		public void setActivationName(@Nullable String activationName) {
			this.activationName = activationName;
		}

		public @Nullable String getMulticastGroup() {
			return this.multicastGroup;
		}

		public void setMulticastGroup(@Nullable String multicastGroup) {
			this.multicastGroup = multicastGroup;
		}

		public @Nullable String getMulticastInterface() {
			return this.multicastInterface;
		}

		public void setMulticastInterface(@Nullable String multicastInterface) {
			this.multicastInterface = multicastInterface;
		}

	}

}
