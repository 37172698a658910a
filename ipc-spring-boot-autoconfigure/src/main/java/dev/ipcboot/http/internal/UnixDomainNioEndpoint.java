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

	// set on the acceptor thread while Tomcat closes a refused socket, so that its
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
			this.refusing.set(true);
			return false;
		}
		if (!this.server.admits(peer)) {
			logger.info("Refused a connection on " + this.server.settings().path() + " from " + peer
					+ ": not in ipc.http.server.allowed-uids " + this.server.settings().allowedUids());
			this.refusing.set(true);
			return false;
		}
		this.peers.put(socket, peer);
		this.server.metrics().connectionOpened();
		if (!super.setSocketOptions(socket)) {
			// Tomcat has counted it down already if it destroyed the socket, and counts
			// it down again when the acceptor closes it
			this.refusing.set(true);
			return false;
		}
		return true;
	}

	@Override
	protected long countDownConnection() {
		if (this.refusing.get()) {
			this.refusing.set(false);
		}
		else {
			this.server.metrics().connectionClosed();
		}
		return super.countDownConnection();
	}

}
