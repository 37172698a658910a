package dev.ipcboot.http.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.netty.channel.Channel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.PeerCredentials;
import io.netty.util.AttributeKey;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import dev.ipcboot.http.HttpPeer;

/**
 * A second Reactor Netty server on the socket file: Reactor Netty's server binds one
 * address, so the application's own keeps its TCP port and this one, configured the same
 * (the factory's customizers ran on it) and serving the same handler, binds a
 * {@link DomainSocketAddress} through {@link SocketFile}. Peers outside the allowed uids
 * are closed as soon as they connect; the others' {@link HttpPeer} (with the pid, which
 * Netty's native transport reports) is kept on the channel for
 * {@link #peerOf(Connection)}.
 */
final class ReactorNettyListener {

	private static final Log logger = LogFactory.getLog(ReactorNettyListener.class);

	private static final AttributeKey<HttpPeer> PEER = AttributeKey.valueOf(HttpPeer.ATTRIBUTE);

	private final HttpSocketServer server;

	private final DisposableServer disposable;

	private ReactorNettyListener(HttpSocketServer server, DisposableServer disposable) {
		this.server = server;
		this.disposable = disposable;
	}

	static ReactorNettyListener start(HttpSocketServer server, HttpServer configured, HttpHandler handler) {
		if (!Epoll.isAvailable()) {
			throw new IllegalStateException("Reactor Netty serves Unix-domain sockets only on Netty's native epoll"
					+ " transport, which is unavailable: " + Epoll.unavailabilityCause());
		}
		SocketFile file = server.socketFile();
		Path bound;
		try {
			bound = file.prepare();
		}
		catch (IOException ex) {
			throw new IllegalStateException("cannot create the bind directory next to " + file.path(), ex);
		}
		try {
			DisposableServer disposable = configured.bindAddress(() -> new DomainSocketAddress(bound.toFile()))
				// on accept, not doOnConnection, which HTTP/1.1 calls with the first
				// request
				.doOnChannelInit((observer, channel, remote) -> admit(server, channel))
				.handle(new ReactorHttpHandlerAdapter(handler))
				.bindNow(Duration.ofSeconds(30));
			file.publish(bound);
			return new ReactorNettyListener(server, disposable);
		}
		catch (IOException | RuntimeException ex) {
			try {
				file.remove();
			}
			catch (IOException suppressed) {
				ex.addSuppressed(suppressed);
			}
			throw (ex instanceof RuntimeException runtime) ? runtime
					: new IllegalStateException("cannot publish the socket file " + file.path(), ex);
		}
	}

	private static void admit(HttpSocketServer server, Channel channel) {
		if (!(channel instanceof EpollDomainSocketChannel accepted)) {
			return;
		}
		HttpPeer peer;
		try {
			peer = peerOf(accepted.peerCredentials());
		}
		catch (IOException | RuntimeException ex) {
			logger.warn(
					"Refused a connection on " + server.settings().path() + ": its peer credentials could not be read",
					ex);
			server.refused();
			channel.close();
			return;
		}
		if (!server.admits(peer)) {
			logger.info("Refused a connection on " + server.settings().path() + " from " + peer
					+ ": not in ipc.http.server.allowed-uids " + server.settings().allowedUids());
			channel.close();
			return;
		}
		channel.attr(PEER).set(peer);
		server.metrics().connectionOpened();
		channel.closeFuture().addListener((future) -> server.metrics().connectionClosed());
	}

	/**
	 * The peer of a connection this listener accepted.
	 * @param connection a Reactor Netty connection
	 * @return its peer, or {@code null} for a connection of another server (TCP)
	 */
	static @Nullable HttpPeer peerOf(Connection connection) {
		return connection.channel().attr(PEER).get();
	}

	private static HttpPeer peerOf(PeerCredentials credentials) {
		int gid = (credentials.gids().length > 0) ? credentials.gids()[0] : -1;
		return new HttpPeer(credentials.uid(), gid, nameOf(Path.of("/etc/passwd"), credentials.uid()),
				nameOf(Path.of("/etc/group"), gid), credentials.pid());
	}

	/** The name of an id in /etc/passwd or /etc/group, or the id in decimal. */
	private static String nameOf(Path database, int id) {
		String number = Integer.toString(id);
		try {
			List<String> lines = Files.readAllLines(database, StandardCharsets.UTF_8);
			for (String line : lines) {
				String[] fields = line.split(":", 4);
				if (fields.length > 2 && fields[2].equals(number)) {
					return fields[0];
				}
			}
		}
		catch (IOException ex) {
			// names are a convenience: the number is what counts
		}
		return number;
	}

	void stop() {
		try {
			this.disposable.disposeNow(Duration.ofSeconds(10));
		}
		finally {
			try {
				this.server.socketFile().remove();
			}
			catch (IOException ex) {
				logger.warn("Could not remove the socket file " + this.server.settings().path(), ex);
			}
		}
	}

}
