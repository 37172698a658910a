package dev.ipcboot.autoconfigure;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.server.reactive.HttpHandler;
import reactor.netty.http.server.HttpServer;

import dev.ipcboot.http.internal.HttpSocketServer;
import dev.ipcboot.http.internal.ReactorNettySocket;

/**
 * Runs the Reactor Netty server on the socket file next to the application's own: Reactor
 * Netty's server binds one address, so the socket gets a second server, configured like
 * the first (it is taken as the factory's last customizer sees it) and serving the
 * application's {@link HttpHandler}. It starts after the web server and stops after the
 * web server's graceful shutdown, before the web server itself.
 */
class HttpReactorNettyLifecycle implements SmartLifecycle {

	private final HttpSocketServer server;

	private final ObjectProvider<HttpHandler> handler;

	private volatile @Nullable HttpServer configured;

	private volatile @Nullable Runnable stop;

	HttpReactorNettyLifecycle(HttpSocketServer server, ObjectProvider<HttpHandler> handler) {
		this.server = server;
		this.handler = handler;
	}

	/**
	 * A {@code NettyServerCustomizer}: remembers the application's server configuration.
	 * @param httpServer the server as configured so far
	 * @return the same server
	 */
	HttpServer configured(HttpServer httpServer) {
		this.configured = httpServer;
		return httpServer;
	}

	@Override
	public void start() {
		HttpServer httpServer = this.configured;
		if (httpServer == null) {
			// the web server was not made by Reactor Netty's factory: nothing to run
			return;
		}
		this.stop = ReactorNettySocket.start(this.server, httpServer, this.handler.getObject());
	}

	@Override
	public void stop() {
		Runnable current = this.stop;
		this.stop = null;
		if (current != null) {
			current.run();
		}
	}

	@Override
	public boolean isRunning() {
		return this.stop != null;
	}

	@Override
	public int getPhase() {
		return WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE - 1;
	}

}
