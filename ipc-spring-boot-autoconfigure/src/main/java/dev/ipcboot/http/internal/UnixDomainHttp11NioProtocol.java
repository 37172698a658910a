package dev.ipcboot.http.internal;

import org.apache.catalina.connector.Connector;
import org.apache.coyote.Processor;
import org.apache.coyote.http11.Http11NioProtocol;

import dev.ipcboot.http.HttpPeer;

/**
 * Tomcat's HTTP/1.1 NIO protocol on a Unix-domain socket bound by the starter's rules,
 * with each request carrying its {@link HttpPeer}.
 */
final class UnixDomainHttp11NioProtocol extends Http11NioProtocol {

	private final UnixDomainNioEndpoint endpoint;

	UnixDomainHttp11NioProtocol(HttpSocketServer server) {
		this(new UnixDomainNioEndpoint(server));
	}

	static Connector connector(HttpSocketServer server) {
		return new Connector(new UnixDomainHttp11NioProtocol(server));
	}

	private UnixDomainHttp11NioProtocol(UnixDomainNioEndpoint endpoint) {
		super(endpoint);
		this.endpoint = endpoint;
		// bind when the web server starts, not when Tomcat initialises: the file exists
		// only while requests can be served
		setProperty("bindOnInit", "false");
	}

	@Override
	protected Processor createProcessor() {
		return PeerAwareProcessor.create(this, this.endpoint);
	}

	@Override
	protected String getNamePrefix() {
		return "http-ipc-unix";
	}

}
