package dev.ipcboot.autoconfigure;

import dev.ipcboot.socket.Framing;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Name;
import org.springframework.util.unit.DataSize;

/**
 * Socket clients, one per entry of {@code ipc.clients}.
 */
@ConfigurationProperties("ipc")
public class SocketClientProperties {

	/**
	 * Socket clients by name; each is a bean of type IpcClient qualified by its name.
	 */
	private Map<String, Client> clients = new LinkedHashMap<>();

	public Map<String, Client> getClients() {
		return this.clients;
	}

	public void setClients(Map<String, Client> clients) {
		this.clients = clients;
	}

	/**
	 * Transport of a client.
	 */
	public enum Transport {

		/** Unix-domain socket on this machine. */
		LOCAL,

		/** TCP, optionally with TLS. */
		TCP,

		/**
		 * Shared-memory rings on this machine, met through the server's Unix-domain
		 * socket.
		 */
		SHM,

		/**
		 * UDP datagrams: one datagram is one message (unicast or to a multicast group).
		 */
		UDP

	}

	/**
	 * One socket client.
	 */
	public static class Client extends TcpOptionProperties {

		/**
		 * Transport to connect with.
		 */
		private Transport transport = Transport.LOCAL;

		/**
		 * Shm: how many times a request looks for its reply before it sleeps; 0 (the
		 * default) sleeps at once.
		 */
		private int spin = 0;

		/**
		 * Absolute path of the server's socket file (local transport).
		 */
		private @Nullable String path;

		/**
		 * Qt-style server name, resolved in $TMPDIR or /tmp unless absolute (local
		 * transport). Use either path or name.
		 */
		private @Nullable String name;

		/**
		 * Whether the server listens in the Linux abstract namespace (no socket file)
		 * under the path or name as given, like Qt's AbstractNamespaceOption (local
		 * transport).
		 */
		@Name("abstract")
		private boolean abstractNamespace;

		/**
		 * Host of the server (tcp and udp transports).
		 */
		private String host = "127.0.0.1";

		/**
		 * Port of the server, 1 to 65535 (tcp and udp transports; udp: of the group).
		 */
		private @Nullable Integer port;

		/**
		 * Name of the Spring Boot SSL bundle that turns on TLS and trusts the server's
		 * certificate (tcp transport).
		 */
		private @Nullable String sslBundle;

		/**
		 * Framing of messages: line, crlf, length-prefixed, stx-etx or raw. Must match
		 * the server's.
		 */
		private Framing framing = Framing.LINE;

		/**
		 * Largest reply accepted; a longer one fails the request and closes its
		 * connection (udp: also the largest datagram sent; at most 65507 bytes).
		 */
		private DataSize maxMessageSize = DataSize.ofMegabytes(1);

		/**
		 * How long connecting (and a TLS handshake) may take.
		 */
		private Duration connectTimeout = Duration.ofSeconds(5);

		/**
		 * How long a request may wait for a free connection, for its write (a server that
		 * stops reading) and then for its reply.
		 */
		private Duration requestTimeout = Duration.ofSeconds(10);

		/**
		 * Most connections open at once, which is the most requests in flight at once.
		 */
		private int poolSize = 8;

		/**
		 * Keep one connection open and deliver what the server pushes on it to
		 * {@code @IpcListener("<client name>")}; requests keep using their own
		 * connections.
		 */
		private boolean subscribe;

		/**
		 * First wait before the subscription connects again after its connection was
		 * lost; it doubles up to reconnect-max-delay.
		 */
		private Duration reconnectDelay = Duration.ofMillis(100);

		/**
		 * Longest wait between two attempts of the subscription to connect again.
		 */
		private Duration reconnectMaxDelay = Duration.ofSeconds(5);

		public int getSpin() {
			return this.spin;
		}

		public void setSpin(int spin) {
			this.spin = spin;
		}

		public Transport getTransport() {
			return this.transport;
		}

		public void setTransport(Transport transport) {
			this.transport = transport;
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

		public boolean isAbstractNamespace() {
			return this.abstractNamespace;
		}

		public void setAbstractNamespace(boolean abstractNamespace) {
			this.abstractNamespace = abstractNamespace;
		}

		public String getHost() {
			return this.host;
		}

		public void setHost(String host) {
			this.host = host;
		}

		public @Nullable Integer getPort() {
			return this.port;
		}

		public void setPort(@Nullable Integer port) {
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

		public Duration getConnectTimeout() {
			return this.connectTimeout;
		}

		public void setConnectTimeout(Duration connectTimeout) {
			this.connectTimeout = connectTimeout;
		}

		public Duration getRequestTimeout() {
			return this.requestTimeout;
		}

		public void setRequestTimeout(Duration requestTimeout) {
			this.requestTimeout = requestTimeout;
		}

		public int getPoolSize() {
			return this.poolSize;
		}

		public void setPoolSize(int poolSize) {
			this.poolSize = poolSize;
		}

		public boolean isSubscribe() {
			return this.subscribe;
		}

		public void setSubscribe(boolean subscribe) {
			this.subscribe = subscribe;
		}

		public Duration getReconnectDelay() {
			return this.reconnectDelay;
		}

		public void setReconnectDelay(Duration reconnectDelay) {
			this.reconnectDelay = reconnectDelay;
		}

		public Duration getReconnectMaxDelay() {
			return this.reconnectMaxDelay;
		}

		public void setReconnectMaxDelay(Duration reconnectMaxDelay) {
			this.reconnectMaxDelay = reconnectMaxDelay;
		}

		/**
		 * UDP: a multicast group (224.0.0.0/4 or ff00::/8) to send to instead of host;
		 * the datagrams go to port on every member.
		 */
		private @Nullable String multicastGroup;

		/**
		 * UDP multicast: name of the network interface to send on (for example lo or
		 * eth0); unset lets the routing table choose.
		 */
		private @Nullable String multicastInterface;

		/**
		 * UDP multicast: time-to-live of the datagrams sent, 0 to 255; 1 keeps them on
		 * the local network, 0 on this host.
		 */
		private int multicastTimeToLive = 1;

		/**
		 * UDP multicast: whether members on this host receive what it sends
		 * (IP_MULTICAST_LOOP).
		 */
		private boolean multicastLoopback = true;

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

		public int getMulticastTimeToLive() {
			return this.multicastTimeToLive;
		}

		public void setMulticastTimeToLive(int multicastTimeToLive) {
			this.multicastTimeToLive = multicastTimeToLive;
		}

		public boolean isMulticastLoopback() {
			return this.multicastLoopback;
		}

		public void setMulticastLoopback(boolean multicastLoopback) {
			this.multicastLoopback = multicastLoopback;
		}

	}

}
