package dev.ipcboot.http;

import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.catalina.connector.Connector;

import dev.ipcboot.IpcResource;
import dev.ipcboot.IpcResourceState;

/**
 * The embedded web server's listener on a Unix-domain socket, as health and the
 * {@code ipc} endpoint see it. It makes the Tomcat connector that binds the socket file
 * (see {@link #tomcatConnector()}); the connector starts and stops with the web server.
 */
public final class HttpSocketServer implements IpcResource {

	private final HttpServerSettings settings;

	private final SocketFile socketFile;

	private final AtomicLong refused = new AtomicLong();

	/**
	 * Create the listener; nothing is bound until the web server starts.
	 * @param settings where and for whom to listen
	 */
	public HttpSocketServer(HttpServerSettings settings) {
		this.settings = settings;
		this.socketFile = new SocketFile(settings.path(), settings.permissions());
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
		return new Connector(new UnixDomainHttp11NioProtocol(this));
	}

	HttpServerSettings settings() {
		return this.settings;
	}

	SocketFile socketFile() {
		return this.socketFile;
	}

	boolean admits(HttpPeer peer) {
		if (this.settings.allowedUids().isEmpty() || this.settings.allowedUids().contains(peer.uid())) {
			return true;
		}
		this.refused.incrementAndGet();
		return false;
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
