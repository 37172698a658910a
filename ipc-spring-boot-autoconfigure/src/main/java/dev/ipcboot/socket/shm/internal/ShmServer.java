package dev.ipcboot.socket.shm.internal;

import dev.ipcboot.socket.shm.ShmServerSettings;

import java.io.IOException;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.AFUNIXSocketCredentials;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;

import dev.ipcboot.internal.IpcChannelMetrics;
import dev.ipcboot.IpcConfigurationException;
import dev.ipcboot.internal.IpcMetrics;
import dev.ipcboot.internal.IpcResource;
import dev.ipcboot.internal.IpcResourceState;
import dev.ipcboot.internal.natives.RefusalLog;
import dev.ipcboot.listener.IpcChannel;
import dev.ipcboot.listener.IpcHeaders;
import dev.ipcboot.socket.SocketHeaders;
import dev.ipcboot.listener.IpcMessageListener;
import dev.ipcboot.socket.internal.ClientPayloads;
import dev.ipcboot.socket.internal.ServerListeners;
import dev.ipcboot.socket.IpcConnection;
import dev.ipcboot.socket.IpcServer;
import dev.ipcboot.socket.internal.ChannelServers;
import dev.ipcboot.socket.SocketConnectionClosedEvent;
import dev.ipcboot.socket.SocketConnectionFailedEvent;
import dev.ipcboot.socket.SocketConnectionOpenedEvent;
import dev.ipcboot.socket.SocketServerStartedEvent;
import dev.ipcboot.socket.SocketServerStoppedEvent;

/**
 * A server with {@code transport: shm}: clients meet it on a Unix-domain socket (mode
 * 0600 in a private directory, like a local server's), and each gets memory of its own
 * with two rings, passed over that socket. A channel for one {@code @IpcListener} with
 * the socket servers' events, metrics and headers.
 */
public final class ShmServer implements IpcChannel, IpcServer, IpcResource, ChannelServers.Server {

	private static final Log logger = LogFactory.getLog(ShmServer.class);

	private final ShmServerSettings settings;

	private final ClientPayloads payloads;

	private final ApplicationEventPublisher publisher;

	private final IpcChannelMetrics metrics;

	private final Set<ShmServerConnection> connections = ConcurrentHashMap.newKeySet();

	private final Set<Thread> threads = ConcurrentHashMap.newKeySet();

	private final AtomicInteger ids = new AtomicInteger();

	private final int uid = ownUid();

	private volatile @Nullable IpcMessageListener listener;

	private volatile @Nullable AFUNIXServerSocket serverSocket;

	private volatile @Nullable Thread acceptor;

	private volatile boolean stopped;

	/**
	 * Create a server; nothing is bound before {@link #start()}.
	 * @param settings the settings
	 * @param converter converts what {@link IpcConnection#send} and replies are given
	 * @param publisher where the events go
	 * @param metrics the application's metrics
	 */
	public ShmServer(ShmServerSettings settings, MessageConverter converter, ApplicationEventPublisher publisher,
			IpcMetrics metrics) {
		this.settings = settings;
		this.payloads = new ClientPayloads(settings.name(), converter);
		this.publisher = publisher;
		this.metrics = metrics.channel(settings.name(), "shm");
	}

	@Override
	public String name() {
		return this.settings.name();
	}

	@Override
	public String kind() {
		return "shared-memory server";
	}

	@Override
	public String property() {
		return this.settings.property();
	}

	@Override
	public void addListener(IpcMessageListener listener) {
		this.listener = ServerListeners.only(this, this.listener, listener);
	}

	@Override
	public List<HandlerMethodArgumentResolver> argumentResolvers() {
		return List.of(new ShmConnectionArgumentResolver());
	}

	@Override
	public Set<String> headers() {
		return Set.of(IpcHeaders.CHANNEL, SocketHeaders.CONNECTION_ID, SocketHeaders.PEER_PID, SocketHeaders.PEER_UID,
				SocketHeaders.PEER_GID);
	}

	@Override
	public Collection<IpcConnection> connections() {
		return List.copyOf(this.connections);
	}

	@Override
	public int broadcast(Object payload) {
		byte[] bytes = toBytes(payload);
		int reached = 0;
		for (ShmServerConnection connection : this.connections) {
			try {
				connection.reply(bytes);
				reached++;
			}
			catch (RuntimeException ex) {
				// closed or not reading: skipped, as the socket servers do
			}
		}
		return reached;
	}

	/**
	 * Bind the socket and start accepting. A path where another process answers fails; a
	 * file left by a dead process is replaced.
	 * @throws IpcConfigurationException if the socket cannot be bound
	 */
	public synchronized void start() {
		if (this.serverSocket != null) {
			return;
		}
		Path path = this.settings.path();
		try {
			replaceStale(path);
			// bound in place, then narrowed to 0600: in between the umask's mode applies,
			// and
			// every accepted peer's uid is checked anyway (junixsocket closes a server
			// whose
			// file was moved, so the local servers' bind-then-rename is not used)
			AFUNIXServerSocket socket = AFUNIXServerSocket.newInstance();
			try {
				socket.bind(AFUNIXSocketAddress.of(path), 128);
				Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
			}
			catch (IOException ex) {
				socket.close();
				throw ex;
			}
			this.serverSocket = socket;
		}
		catch (IOException ex) {
			throw new IpcConfigurationException(property() + ".path",
					"Shared-memory server '" + name() + "' cannot listen on " + path + ": " + ex.getMessage(),
					"choose another path");
		}
		Thread thread = new Thread(this::accept, "ipc-shm-" + name() + "-accept");
		thread.setDaemon(true);
		this.acceptor = thread;
		thread.start();
		this.publisher.publishEvent(new SocketServerStartedEvent(this, path.toString(), -1));
	}

	private void replaceStale(Path path) throws IOException {
		if (!Files.exists(path)) {
			return;
		}
		try (AFUNIXSocket probe = AFUNIXSocket.newInstance()) {
			probe.connect(AFUNIXSocketAddress.of(path), 1000);
		}
		catch (SocketException ex) {
			// nobody answers: a dead process's file
			Files.deleteIfExists(path);
			return;
		}
		throw new IOException("another process serves it");
	}

	private void accept() {
		AFUNIXServerSocket socket = this.serverSocket;
		while (socket != null && !socket.isClosed()) {
			AFUNIXSocket client;
			try {
				client = socket.accept();
			}
			catch (IOException ex) {
				if (!socket.isClosed()) {
					logger.warn("Shared-memory server '" + name() + "' could not accept a connection", ex);
				}
				continue;
			}
			admit(client);
		}
	}

	private void admit(AFUNIXSocket client) {
		String id = name() + "-" + this.ids.incrementAndGet();
		try {
			AFUNIXSocketCredentials credentials = client.getPeerCredentials();
			long peerUid = credentials.getUid();
			String refusal = null;
			if (!this.settings.allowedUids().isEmpty() ? !this.settings.allowedUids().contains((int) peerUid)
					: peerUid != this.uid && peerUid != 0) {
				refusal = "peer-rejected";
			}
			else if (this.connections.size() >= this.settings.maxConnections()) {
				refusal = "max-connections";
			}
			if (refusal != null) {
				this.metrics.connectionFailed(refusal);
				// one line per server every 10 s with a count, as the socket servers: a
				// peer
				// that reconnects in a loop cannot flood the log
				RefusalLog.warn(logger, "shm server " + name(),
						"Shared-memory server '" + name() + "' refused a connection from pid " + credentials.getPid()
								+ " uid " + peerUid + ": " + refusal);
				client.close();
				return;
			}
			ShmDuplex duplex = ShmHandshake.offer(name(), client, this.settings.ringCapacity(),
					this.settings.maxMessageSize(), this.settings.spin());
			ShmServerConnection connection = new ShmServerConnection(this, client, duplex, id, credentials.getPid(),
					peerUid, credentials.getGid());
			this.connections.add(connection);
			this.metrics.connectionOpened();
			this.publisher.publishEvent(new SocketConnectionOpenedEvent(this, connection, connection.describePeer()));
			Thread thread = new Thread(() -> {
				try {
					connection.run();
				}
				finally {
					this.threads.remove(Thread.currentThread());
				}
			}, "ipc-shm-" + id);
			thread.setDaemon(true);
			this.threads.add(thread);
			thread.start();
		}
		catch (IOException | RuntimeException ex) {
			logger.warn("Shared-memory server '" + name() + "' could not set up connection " + id, ex);
			try {
				client.close();
			}
			catch (IOException closeFailure) {
				ex.addSuppressed(closeFailure);
			}
		}
	}

	void closed(ShmServerConnection connection, @Nullable String reason, @Nullable Throwable cause) {
		this.connections.remove(connection);
		if (reason != null) {
			this.metrics.connectionFailed(reason);
			this.publisher.publishEvent(
					new SocketConnectionFailedEvent(this, connection, connection.describePeer(), reason, cause));
		}
		this.metrics.connectionClosed();
		this.publisher.publishEvent(new SocketConnectionClosedEvent(this, connection, connection.describePeer()));
	}

	/**
	 * Stop accepting, close every connection (their threads finish the listener call they
	 * are in) and remove the socket file; waits at most {@code timeoutMillis} for the
	 * connection threads.
	 * @param timeoutMillis how long to wait for the connections to end
	 */
	public synchronized void stop(long timeoutMillis) {
		AFUNIXServerSocket socket = this.serverSocket;
		if (socket == null) {
			return;
		}
		this.serverSocket = null;
		this.stopped = true;
		try {
			socket.close();
		}
		catch (IOException ex) {
			logger.debug("Closing the socket of shared-memory server '" + name() + "' failed", ex);
		}
		try {
			Files.deleteIfExists(this.settings.path());
		}
		catch (IOException ex) {
			logger.warn("Shared-memory server '" + name() + "' could not remove " + this.settings.path(), ex);
		}
		this.connections.forEach(ShmServerConnection::close);
		long deadline = System.currentTimeMillis() + timeoutMillis;
		try {
			Thread thread = this.acceptor;
			if (thread != null) {
				thread.join(Math.max(1, deadline - System.currentTimeMillis()));
			}
			for (Thread connection : List.copyOf(this.threads)) {
				connection.join(Math.max(1, deadline - System.currentTimeMillis()));
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.publisher.publishEvent(new SocketServerStoppedEvent(this));
	}

	@Override
	public IpcResourceState state() {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("path", this.settings.path().toString());
		details.put("transport", "shm");
		details.put("connections", this.connections.size());
		details.put("ring-size", this.settings.ringCapacity());
		if (isRunning()) {
			return IpcResourceState.up(details);
		}
		return this.stopped ? IpcResourceState.down("stopped", details) : IpcResourceState.unknown("not started");
	}

	/**
	 * Whether the server accepts connections.
	 * @return whether it was started and not stopped
	 */
	public boolean isRunning() {
		return this.serverSocket != null;
	}

	ShmServerSettings settings() {
		return this.settings;
	}

	IpcChannelMetrics metrics() {
		return this.metrics;
	}

	@Nullable IpcMessageListener listener() {
		return this.listener;
	}

	byte[] toBytes(Object payload) {
		return this.payloads.toBytes(payload);
	}

	private static int ownUid() {
		try {
			return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue();
		}
		catch (IOException | UnsupportedOperationException ex) {
			return -1;
		}
	}

	@Override
	public String toString() {
		return "ShmServer[" + name() + " at " + this.settings.path() + "]";
	}

}
