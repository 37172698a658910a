package dev.ipcboot.http.internal;

import org.eclipse.jetty.server.Server;

/**
 * The socket file on Jetty 12: an additional {@code UnixDomainServerConnector}.
 */
public final class JettySocket {

	private JettySocket() {
	}

	/**
	 * Add a connector serving HTTP/1.1 on the socket file to a Jetty server (for a
	 * {@code JettyServerCustomizer}), configured like the server's own HTTP connector
	 * without TLS. It binds when the server starts and removes the file when it stops.
	 * @param jetty the server
	 * @param server the socket's settings and state
	 */
	public static void addConnector(Server jetty, HttpSocketServer server) {
		UnixDomainJettyConnector.addTo(jetty, server);
	}

}
