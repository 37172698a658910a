package dev.ipcboot.autoconfigure;

import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * HTTP over Unix-domain sockets: the embedded web server (Tomcat, Jetty or Reactor Netty)
 * on a socket file, and {@code RestClient}s and {@code WebClient}s over one.
 */
@ConfigurationProperties("ipc.http")
public class HttpProperties {

	/**
	 * The embedded web server's Unix-domain socket.
	 */
	private final Server server = new Server();

	/**
	 * Clients over Unix-domain sockets, by name: a RestClient bean (with Jetty's client
	 * present) and a WebClient bean (with WebFlux present), each qualified by the name.
	 */
	private Map<String, Client> clients = new LinkedHashMap<>();

	public Server getServer() {
		return this.server;
	}

	public Map<String, Client> getClients() {
		return this.clients;
	}

	public void setClients(Map<String, Client> clients) {
		this.clients = clients;
	}

	/**
	 * Who may connect to the socket file, like Qt's {@code QLocalServer::SocketOption}.
	 */
	public enum Permissions {

		/** Only the owner ({@code 0600}). */
		USER("rw-------"),

		/** The owner and its group ({@code 0660}). */
		GROUP("rw-rw----"),

		/** The owner and everyone outside its group ({@code 0606}). */
		OTHER("rw----rw-"),

		/** Everyone ({@code 0666}). */
		WORLD("rw-rw-rw-");

		private final String symbolic;

		Permissions(String symbolic) {
			this.symbolic = symbolic;
		}

		Set<PosixFilePermission> posix() {
			return PosixFilePermissions.fromString(this.symbolic);
		}

	}

	/**
	 * A socket file given by path or by Qt-style name.
	 */
	public abstract static class SocketFile {

		/**
		 * Absolute path of the socket file; for the server, unset (and no name) leaves it
		 * on TCP only.
		 */
		private @Nullable String path;

		/**
		 * Qt-style server name instead of a path: a socket file of that name in $TMPDIR
		 * or /tmp.
		 */
		private @Nullable String name;

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

	}

	/**
	 * Where the embedded web server also listens.
	 */
	public static class Server extends SocketFile {

		/**
		 * Who may connect to the socket file.
		 */
		private Permissions permissions = Permissions.USER;

		/**
		 * User ids allowed to connect, checked with the kernel's peer credentials when a
		 * connection is accepted; empty allows any peer the file mode lets in.
		 */
		private List<Integer> allowedUids = new ArrayList<>();

		public Permissions getPermissions() {
			return this.permissions;
		}

		public void setPermissions(Permissions permissions) {
			this.permissions = permissions;
		}

		public List<Integer> getAllowedUids() {
			return this.allowedUids;
		}

		public void setAllowedUids(List<Integer> allowedUids) {
			this.allowedUids = allowedUids;
		}

	}

	/**
	 * A RestClient and a WebClient over a Unix-domain socket.
	 */
	public static class Client extends SocketFile {

		/**
		 * URL requests are relative to: its host is sent as the Host header, its path
		 * prefixes every request's path.
		 */
		private String baseUrl = "http://localhost";

		/**
		 * How long connecting to the socket may take.
		 */
		private Duration connectTimeout = Duration.ofSeconds(5);

		/**
		 * How long a response may take: the whole response for the RestClient, the wait
		 * for each read of the response for the WebClient.
		 */
		private Duration readTimeout = Duration.ofSeconds(30);

		public String getBaseUrl() {
			return this.baseUrl;
		}

		public void setBaseUrl(String baseUrl) {
			this.baseUrl = baseUrl;
		}

		public Duration getConnectTimeout() {
			return this.connectTimeout;
		}

		public void setConnectTimeout(Duration connectTimeout) {
			this.connectTimeout = connectTimeout;
		}

		public Duration getReadTimeout() {
			return this.readTimeout;
		}

		public void setReadTimeout(Duration readTimeout) {
			this.readTimeout = readTimeout;
		}

	}

}
