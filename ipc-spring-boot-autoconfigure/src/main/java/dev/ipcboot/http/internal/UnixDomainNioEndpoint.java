package dev.ipcboot.http.internal;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.tomcat.util.net.NioEndpoint;

import dev.ipcboot.http.HttpPeer;

/**
 * Tomcat's NIO endpoint bound through {@link SocketFile} (Tomcat alone would bind with
 * the process umask and chmod afterwards, and would not replace a stale file), refusing
 * peers whose uid is not allowed as soon as they are accepted.
 */
final class UnixDomainNioEndpoint extends NioEndpoint {

	private static final Log logger = LogFactory.getLog(UnixDomainNioEndpoint.class);

	private final HttpSocketServer server;

	// read once per connection when it is accepted (the JDK looks the user name up each
	// time); weak, so a closed channel's entry goes with it
	private final Map<SocketChannel, HttpPeer> peers = Collections.synchronizedMap(new WeakHashMap<>());

	private boolean bound;

	// set on the acceptor thread while a refused socket is destroyed, so that its
	// count-down is not taken for the close of a connection that was counted as open
	private final ThreadLocal<Boolean> refusing = ThreadLocal.withInitial(() -> false);

	UnixDomainNioEndpoint(HttpSocketServer server) {
		this.server = server;
		setUnixDomainSocketPath(server.settings().path().toString());
	}

	@Override
	protected void initServerSocket() throws Exception {
		Path bound = this.server.socketFile().prepare();
		setUnixDomainSocketPath(bound.toString());
		try {
			super.initServerSocket();
			this.server.socketFile().publish(bound);
			this.bound = true;
		}
		catch (Exception ex) {
			this.server.socketFile().remove();
			throw ex;
		}
	}

	@Override
	protected void doCloseServerSocket() throws IOException {
		// Tomcat may close more than once (stop, then destroy); only the first closes
		// what this endpoint bound, and Tomcat's own delete must only ever see the
		// private path, never the published one another process may hold by then
		if (!this.bound) {
			return;
		}
		this.bound = false;
		try {
			super.doCloseServerSocket();
		}
		finally {
			this.server.socketFile().remove();
		}
	}

	HttpPeer peerOf(SocketChannel channel) throws IOException {
		HttpPeer peer = this.peers.get(channel);
		return (peer != null) ? peer : PeerCredentials.of(channel);
	}

	@Override
	protected boolean setSocketOptions(SocketChannel socket) {
		HttpPeer peer;
		try {
			peer = PeerCredentials.of(socket);
		}
		catch (IOException | RuntimeException ex) {
			logger.warn("Refused a connection on " + this.server.settings().path()
					+ ": its peer credentials could not be read", ex);
			this.server.refused();
			return refuse(socket);
		}
		if (!this.server.admits(peer)) {
			logger.info("Refused a connection on " + this.server.settings().path() + " from " + peer
					+ ": not in ipc.http.server.allowed-uids " + this.server.settings().allowedUids());
			return refuse(socket);
		}
		this.peers.put(socket, peer);
		this.server.metrics().connectionOpened();
		// false: Tomcat destroyed the socket itself (no wrapper yet), or the acceptor
		// closes its wrapper; either way the connection is counted down once, which
		// closes it in our meters too
		return super.setSocketOptions(socket);
	}

	/**
	 * Close a refused socket and count it down, as Tomcat's own {@code setSocketOptions}
	 * does with a socket it made no wrapper for: the acceptor's {@code closeSocket} only
	 * closes sockets that have one, so the refused peer would wait for an answer that
	 * never comes, and the connector would count the connection as open for good (a peer
	 * refused {@code maxConnections} times would stop it accepting anyone).
	 * @param socket the refused socket
	 * @return {@code false}, for the acceptor
	 */
	private boolean refuse(SocketChannel socket) {
		this.refusing.set(true);
		try {
			destroySocket(socket);
		}
		finally {
			this.refusing.set(false);
		}
		return false;
	}

	@Override
	protected long countDownConnection() {
		if (!this.refusing.get()) {
			this.server.metrics().connectionClosed();
		}
		return super.countDownConnection();
	}

}
