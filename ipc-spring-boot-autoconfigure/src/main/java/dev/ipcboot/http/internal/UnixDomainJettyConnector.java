package dev.ipcboot.http.internal;

import java.io.IOException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.Executor;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SelectorManager;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.eclipse.jetty.util.IO;
import org.eclipse.jetty.util.thread.Scheduler;
import org.jspecify.annotations.Nullable;

import dev.ipcboot.http.HttpPeer;

/**
 * Jetty 12's Unix-domain connector bound through {@link SocketFile} (Jetty alone binds
 * with the process umask, and deletes whatever file is at the path when it stops),
 * refusing peers whose uid is not allowed as soon as the selector accepts them, and
 * putting each request's {@link HttpPeer} on it as the attribute
 * {@link HttpPeer#ATTRIBUTE}.
 */
final class UnixDomainJettyConnector extends UnixDomainServerConnector {

	private static final Log logger = LogFactory.getLog(UnixDomainJettyConnector.class);

	private final HttpSocketServer server;

	// read once per connection when it is accepted; weak, so a closed channel's entry
	// goes with it
	private final Map<SocketChannel, HttpPeer> peers = Collections.synchronizedMap(new WeakHashMap<>());

	private @Nullable Path bound;

	private UnixDomainJettyConnector(Server jetty, HttpSocketServer server, HttpConfiguration configuration) {
		// no acceptor threads: the selector accepts, through accepted(SelectableChannel)
		super(jetty, 0, -1, new HttpConnectionFactory(configuration));
		this.server = server;
		configuration.addCustomizer(this::putPeer);
		setUnixDomainPath(server.settings().path());
		setName("ipc-http-unix");
	}

	/**
	 * Add a connector serving HTTP/1.1 on the socket file to a Jetty server, configured
	 * like the server's own HTTP connector (without TLS).
	 * @param jetty the server
	 * @param server the socket's settings and state
	 */
	static void addTo(Server jetty, HttpSocketServer server) {
		HttpConfiguration configuration = new HttpConfiguration();
		for (Connector connector : jetty.getConnectors()) {
			HttpConnectionFactory http = connector.getConnectionFactory(HttpConnectionFactory.class);
			if (http != null) {
				configuration = new HttpConfiguration(http.getHttpConfiguration());
				configuration.setCustomizers(configuration.getCustomizers()
					.stream()
					.filter((customizer) -> !(customizer instanceof SecureRequestCustomizer))
					.toList());
				break;
			}
		}
		jetty.addConnector(new UnixDomainJettyConnector(jetty, server, configuration));
	}

	@Override
	protected SelectorManager newSelectorManager(Executor executor, Scheduler scheduler, int selectors) {
		return new PeerCheckingSelectorManager(executor, scheduler, selectors);
	}

	@Override
	protected void doStart() throws Exception {
		Path path = this.server.socketFile().prepare();
		this.bound = path;
		setUnixDomainPath(path);
		try {
			super.doStart();
			this.server.socketFile().publish(path);
		}
		catch (Exception ex) {
			this.bound = null;
			this.server.socketFile().remove();
			throw ex;
		}
	}

	@Override
	protected void doStop() throws Exception {
		// Jetty deletes the path it bound when it stops: that is the private one, never
		// the published file another process may hold by then
		try {
			super.doStop();
		}
		finally {
			if (this.bound != null) {
				this.bound = null;
				this.server.socketFile().remove();
			}
		}
	}

	private Request putPeer(Request request, HttpFields.Mutable responseHeaders) {
		if (request.getConnectionMetaData().getConnection().getEndPoint() instanceof SocketChannelEndPoint endPoint) {
			HttpPeer peer = this.peers.get(endPoint.getChannel());
			if (peer != null) {
				request.setAttribute(HttpPeer.ATTRIBUTE, peer);
			}
		}
		return request;
	}

	/** Jetty's selector manager that reads and checks the peer before anything else. */
	private final class PeerCheckingSelectorManager extends UnixDomainSelectorManager {

		PeerCheckingSelectorManager(Executor executor, Scheduler scheduler, int selectors) {
			super(executor, scheduler, selectors);
		}

		@Override
		protected void accepted(SelectableChannel channel) throws IOException {
			SocketChannel socket = (SocketChannel) channel;
			HttpPeer peer;
			try {
				peer = PeerCredentials.of(socket);
			}
			catch (IOException | RuntimeException ex) {
				logger.warn("Refused a connection on " + UnixDomainJettyConnector.this.server.settings().path()
						+ ": its peer credentials could not be read", ex);
				UnixDomainJettyConnector.this.server.refused();
				IO.close(channel);
				return;
			}
			if (!UnixDomainJettyConnector.this.server.admits(peer)) {
				logger.info("Refused a connection on " + UnixDomainJettyConnector.this.server.settings().path()
						+ " from " + peer + ": not in ipc.http.server.allowed-uids "
						+ UnixDomainJettyConnector.this.server.settings().allowedUids());
				IO.close(channel);
				return;
			}
			UnixDomainJettyConnector.this.peers.put(socket, peer);
			super.accepted(channel);
		}

		@Override
		protected void endPointOpened(EndPoint endpoint) {
			super.endPointOpened(endpoint);
			UnixDomainJettyConnector.this.server.metrics().connectionOpened();
		}

		@Override
		protected void endPointClosed(EndPoint endpoint) {
			UnixDomainJettyConnector.this.server.metrics().connectionClosed();
			super.endPointClosed(endpoint);
		}

	}

}
