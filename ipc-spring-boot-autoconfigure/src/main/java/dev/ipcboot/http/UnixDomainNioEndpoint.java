package dev.ipcboot.http;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.tomcat.util.net.NioEndpoint;

/**
 * Tomcat's NIO endpoint bound through {@link SocketFile} (Tomcat alone would bind with
 * the process umask and chmod afterwards, and would not replace a stale file), refusing
 * peers whose uid is not allowed as soon as they are accepted.
 */
final class UnixDomainNioEndpoint extends NioEndpoint {

	private static final Log logger = LogFactory.getLog(UnixDomainNioEndpoint.class);

	private final HttpSocketServer server;

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
		}
		catch (Exception ex) {
			this.server.socketFile().remove();
			throw ex;
		}
	}

	@Override
	protected void doCloseServerSocket() throws IOException {
		try {
			super.doCloseServerSocket();
		}
		finally {
			this.server.socketFile().remove();
			setUnixDomainSocketPath(this.server.settings().path().toString());
		}
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
			return false;
		}
		if (!this.server.admits(peer)) {
			logger.info("Refused a connection on " + this.server.settings().path() + " from " + peer
					+ ": not in ipc.http.server.allowed-uids " + this.server.settings().allowedUids());
			return false;
		}
		return super.setSocketOptions(socket);
	}

}
