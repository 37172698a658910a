package dev.ipcboot.http.internal;

import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

import dev.ipcboot.internal.IpcChannelMetrics;
import dev.ipcboot.internal.IpcResource;
import dev.ipcboot.internal.IpcResourceState;
import dev.ipcboot.http.HttpPeer;
import dev.ipcboot.http.HttpServerSettings;

/**
 * The embedded web server's listener on a Unix-domain socket, as health and the
 * {@code ipc} endpoint see it. What binds the socket file is made for each server by
 * {@link TomcatSocket}, {@link JettySocket} or {@link ReactorNettySocket} (kept apart so
 * that this class, a bean, names no server's types); each refuses peers outside the
 * allowed uids and gives requests their {@link HttpPeer}.
 */
public final class HttpSocketServer implements IpcResource {

	private final HttpServerSettings settings;

	private final SocketFile socketFile;

	private final AtomicLong refused = new AtomicLong();

	private final IpcChannelMetrics metrics;

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
