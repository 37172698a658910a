package dev.ipcboot.http;

import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.catalina.connector.Connector;
import org.jspecify.annotations.Nullable;
import org.springframework.http.server.reactive.HttpHandler;

import dev.ipcboot.IpcChannelMetrics;
import dev.ipcboot.IpcResource;
import dev.ipcboot.IpcResourceState;

/**
 * The embedded web server's listener on a Unix-domain socket, as health and the
 * {@code ipc} endpoint see it. It makes what binds the socket file on each server: a
 * Tomcat connector ({@link #tomcatConnector()}) or a Jetty connector
 * ({@link #addJettyConnector}), which start and stop with the web server, or a second
 * Reactor Netty server sharing the application's handler
 * ({@link #startReactorNetty}/{@link #stopReactorNetty()}). Each refuses peers outside
 * the allowed uids and gives requests their {@link HttpPeer}.
 */
public final class HttpSocketServer implements IpcResource {

	private final HttpServerSettings settings;

	private final SocketFile socketFile;

	private final AtomicLong refused = new AtomicLong();

	private final IpcChannelMetrics metrics;

	private @Nullable ReactorNettyListener reactorNetty;

	/**
	 * Create the listener; nothing is bound until the web server starts.
	 * @param settings where and for whom to listen
	 */
	public HttpSocketServer(HttpServerSettings settings) {
		this(settings, IpcChannelMetrics.NONE);
	}

	/**
	 * Create the listener; nothing is bound until the web server starts.
	 * @param settings where and for whom to listen
	 * @param metrics counts its connections and refused peers
	 */
	public HttpSocketServer(HttpServerSettings settings, IpcChannelMetrics metrics) {
		this.settings = settings;
		this.socketFile = new SocketFile(settings.path(), settings.permissions());
		this.metrics = metrics;
	}

	/**
	 * Fail early, before the web server starts, if the socket path is taken.
	 * @throws IllegalStateException naming the path when another live process serves it
	 * or it is not a socket
	 */
	public void checkAvailable() {
		this.socketFile.checkAvailable();
	}

	/**
	 * A new Tomcat connector serving HTTP/1.1 on the socket file, for
	 * {@code TomcatWebServerFactory.addAdditionalConnectors}. It binds when started and
	 * removes the file when stopped.
	 * @return the connector
	 */
	public Connector tomcatConnector() {
		return UnixDomainHttp11NioProtocol.connector(this);
	}

	/**
	 * Add a connector serving HTTP/1.1 on the socket file to a Jetty 12 server (for a
	 * {@code JettyServerCustomizer}), configured like the server's own HTTP connector
	 * without TLS. It binds when the server starts and removes the file when it stops.
	 * @param jetty the server
	 */
	public void addJettyConnector(org.eclipse.jetty.server.Server jetty) {
		UnixDomainJettyConnector.addTo(jetty, this);
	}

	/**
	 * Bind a second Reactor Netty server on the socket file, configured like the
	 * application's own and serving the same handler.
	 * @param configured the application's server as its factory configured it
	 * @param handler the application's handler
	 * @throws IllegalStateException if it is already started, the path is taken, or
	 * Netty's native transport (needed for Unix-domain sockets) is unavailable
	 */
	public synchronized void startReactorNetty(reactor.netty.http.server.HttpServer configured, HttpHandler handler) {
		if (this.reactorNetty != null) {
			throw new IllegalStateException("already listening on " + this.settings.path());
		}
		this.reactorNetty = ReactorNettyListener.start(this, configured, handler);
	}

	/**
	 * Stop the Reactor Netty server started by {@link #startReactorNetty} and remove the
	 * socket file; nothing happens if it is not started.
	 */
	public synchronized void stopReactorNetty() {
		ReactorNettyListener listener = this.reactorNetty;
		this.reactorNetty = null;
		if (listener != null) {
			listener.stop();
		}
	}

	HttpServerSettings settings() {
		return this.settings;
	}

	SocketFile socketFile() {
		return this.socketFile;
	}

	IpcChannelMetrics metrics() {
		return this.metrics;
	}

	boolean admits(HttpPeer peer) {
		if (this.settings.allowedUids().isEmpty() || this.settings.allowedUids().contains(peer.uid())) {
			return true;
		}
		refused();
		return false;
	}

	void refused() {
		this.refused.incrementAndGet();
		this.metrics.connectionFailed("peer-rejected");
	}

	@Override
	public String name() {
		return "server";
	}

	@Override
	public String kind() {
		return "http local server";
	}

	@Override
	public IpcResourceState state() {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("path", this.settings.path().toString());
		details.put("permissions", PosixFilePermissions.toString(this.settings.permissions()));
		details.put("allowedUids", new TreeSet<>(this.settings.allowedUids()));
		details.put("refusedConnections", this.refused.get());
		if (this.socketFile.isPublished()) {
			return IpcResourceState.up(details);
		}
		return IpcResourceState.down("not listening on " + this.settings.path(), details);
	}

}
