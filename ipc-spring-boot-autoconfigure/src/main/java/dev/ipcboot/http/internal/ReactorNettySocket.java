package dev.ipcboot.http.internal;

import org.springframework.http.server.reactive.HttpHandler;
import reactor.netty.http.server.HttpServer;

/**
 * The socket file on Reactor Netty: a second server, configured like the application's
 * own and serving the same handler (Reactor Netty's server binds one address).
 */
public final class ReactorNettySocket {

	private ReactorNettySocket() {
	}

	/**
	 * Bind a Reactor Netty server on the socket file.
	 * @param server the socket's settings and state
	 * @param configured the application's server as its factory configured it
	 * @param handler the application's handler
	 * @return stops the server and removes the socket file
	 * @throws IllegalStateException if the path is taken, or Netty's native transport
	 * (needed for Unix-domain sockets) is unavailable
	 */
	public static Runnable start(HttpSocketServer server, HttpServer configured, HttpHandler handler) {
		return ReactorNettyListener.start(server, configured, handler)::stop;
	}

}
