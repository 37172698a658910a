package dev.ipcboot.http.internal;

import org.apache.catalina.connector.Connector;

/**
 * The socket file on Tomcat 11: an additional NIO connector.
 */
public final class TomcatSocket {

	private TomcatSocket() {
	}

	/**
	 * A new Tomcat connector serving HTTP/1.1 on the socket file, for
	 * {@code TomcatWebServerFactory.addAdditionalConnectors}. It binds when started and
	 * removes the file when stopped.
	 * @param server the socket's settings and state
	 * @return the connector
	 */
	public static Connector connector(HttpSocketServer server) {
		return UnixDomainHttp11NioProtocol.connector(server);
	}

}
