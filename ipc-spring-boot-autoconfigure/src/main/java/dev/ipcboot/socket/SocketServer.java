package dev.ipcboot.socket;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.messaging.Message;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

import dev.ipcboot.IpcChannelMetrics;
import dev.ipcboot.IpcConfigurationException;
import dev.ipcboot.IpcMetrics;
import dev.ipcboot.IpcResource;
import dev.ipcboot.IpcResourceState;
import dev.ipcboot.listener.IpcChannel;
import dev.ipcboot.listener.IpcMessageListener;

/**
 * A local (Unix-domain) or TCP socket server: the channel of one {@code ipc.servers}
 * entry. Each connection is read on its own thread ({@code ipc-local-<name>-N} or
 * {@code ipc-tcp-<name>-N}) and every frame goes straight to the {@code @IpcListener} on
 * that thread, so a slow listener call delays only its own connection. Bad input, a
 * failing listener or an idle timeout closes that one connection with a
 * {@link SocketConnectionFailedEvent}; the server keeps serving the others.
 */
public final class SocketServer implements IpcChannel, IpcResource {

	private static final Log logger = LogFactory.getLog(SocketServer.class);

	private static final int BACKLOG = 128;

	private static final long STOP_TIMEOUT_SECONDS = 5;

	private final SocketServerSettings settings;

	private final ApplicationEventPublisher publisher;

	private final FrameCodec codec;

	private final IpcChannelMetrics metrics;

	private final AtomicInteger openConnections = new AtomicInteger();

	private final Object lifecycleMonitor = new Object();

	private volatile @Nullable IpcMessageListener listener;

	private volatile @Nullable ServerConnectionFactory factory;

	private @Nullable ThreadPoolExecutor executor;

	private volatile @Nullable BoundServerSocket bound;

	private volatile @Nullable String failure;

	private volatile boolean stopped;

	/**
	 * Create a server that records no metrics; it listens once {@link #start() started}.
	 * @param settings validated settings
	 * @param publisher where the server's events go
	 */
	public SocketServer(SocketServerSettings settings, ApplicationEventPublisher publisher) {
		this(settings, publisher, IpcMetrics.NONE);
	}

	/**
	 * Create a server; it listens once {@link #start() started}.
	 * @param settings validated settings
	 * @param publisher where the server's events go
	 * @param metrics where it records messages and connections (its channel handle is
	 * taken once, here)
	 */
	public SocketServer(SocketServerSettings settings, ApplicationEventPublisher publisher, IpcMetrics metrics) {
		this.settings = settings;
		this.publisher = publisher;
		this.codec = settings.framing().serializer(settings.maxMessageSize());
		this.metrics = metrics.channel(settings.name(), transport());
	}

	private String transport() {
		return this.settings.binding().transport().name().toLowerCase(Locale.ROOT);
	}

	@Override
	public String name() {
		return this.settings.name();
	}

	@Override
	public String kind() {
		return (this.settings.binding().transport() == SocketTransport.LOCAL) ? "local server" : "tcp server";
	}

	@Override
	public String property() {
		return this.settings.property();
	}

	/**
	 * The settings this server was created with.
	 * @return the settings
	 */
	public SocketServerSettings settings() {
		return this.settings;
	}

	/**
	 * Attach the listener that handles every frame and whose return value is the reply.
	 * @param listener the listener
	 * @throws IpcConfigurationException if the server already has one (a server replies,
	 * so exactly one method may listen to it)
	 */
	@Override
	public void addListener(IpcMessageListener listener) {
		IpcMessageListener existing = this.listener;
		if (existing != null) {
			throw new IpcConfigurationException(property(),
					"server '" + name() + "' already has listener " + existing.describe() + ", so "
							+ listener.describe() + " cannot listen to it too",
					"Keep one @IpcListener method per socket server: a server replies, and one request gets one"
							+ " reply.");
		}
		this.listener = listener;
	}

	/**
	 * Bind and start accepting. Binding is synchronous, so an address in use or a socket
	 * path served by another process fails here.
	 * @throws IpcConfigurationException if the address cannot be used, naming it
	 * @throws UncheckedIOException if binding fails for another reason
	 */
	public void start() {
		synchronized (this.lifecycleMonitor) {
			if (this.factory != null) {
				return;
			}
			BoundServerSocket boundSocket;
			try {
				boundSocket = bind();
			}
			catch (RuntimeException ex) {
				this.failure = "could not bind: " + ex.getMessage();
				throw ex;
			}
			CustomizableThreadFactory threads = new CustomizableThreadFactory(
					"ipc-" + transport() + "-" + name() + "-");
			// like a web server's, these threads keep an application with no other work
			// alive
			threads.setDaemon(false);
			ThreadPoolExecutor pool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
					new SynchronousQueue<>(), threads);
			ServerConnectionFactory connectionFactory = createConnectionFactory(boundSocket, pool);
			this.bound = boundSocket;
			this.executor = pool;
			this.factory = connectionFactory;
			try {
				connectionFactory.start();
				awaitListening(connectionFactory);
			}
			catch (RuntimeException ex) {
				stop();
				this.failure = "could not start accepting: " + ex.getMessage();
				throw ex;
			}
			this.failure = null;
			this.stopped = false;
			if (this.listener == null) {
				logger.warn("Socket server '" + name() + "' has no @IpcListener: it accepts connections but drops"
						+ " what they send");
			}
			logger.info("Socket server '" + name() + "' (" + kind() + ", " + this.settings.framing() + " framing)"
					+ " listening on " + boundSocket.address());
			this.publisher.publishEvent(new SocketServerStartedEvent(this, boundSocket.address(), boundSocket.port()));
		}
	}

	private ServerConnectionFactory createConnectionFactory(BoundServerSocket boundSocket, ThreadPoolExecutor pool) {
		ServerConnectionFactory connectionFactory = new ServerConnectionFactory(boundSocket.socket(),
				this.settings.binding().transport() == SocketTransport.TCP,
				(int) this.settings.idleTimeout().toMillis());
		connectionFactory.setBeanName(property());
		connectionFactory.setTaskExecutor(pool);
		connectionFactory.setSerializer(this.codec);
		connectionFactory.setDeserializer(this.codec);
		connectionFactory.setMapper(new ServerMessageMapper());
		connectionFactory.setApplicationEventPublisher(new ConnectionEventTranslator(this));
		connectionFactory.setTcpNetConnectionSupport((socket, server, lookupHost, eventPublisher,
				factoryName) -> new ServerConnection(socket, this, this.codec, eventPublisher));
		// each ServerConnection dispatches to this server's listener itself; the factory
		// only insists on having one
		connectionFactory.registerListener((message) -> {
		});
		return connectionFactory;
	}

	/**
	 * The accept loop takes the bound socket on its own thread; a stop before it has
	 * would leave that thread to accept on a socket nobody closes.
	 */
	private void awaitListening(ServerConnectionFactory connectionFactory) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STOP_TIMEOUT_SECONDS);
		while (!connectionFactory.isListening()) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException(
						"Socket server '" + name() + "' did not start accepting within " + STOP_TIMEOUT_SECONDS + "s");
			}
			LockSupport.parkNanos(100_000);
		}
	}

	private BoundServerSocket bind() {
		try {
			if (this.settings.binding() instanceof ServerBinding.Local local) {
				return LocalSocketBinder.bind(this.settings, local, BACKLOG);
			}
			return bindTcp((ServerBinding.Tcp) this.settings.binding());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(
					"Could not bind socket server '" + name() + "' (" + property() + "): " + ex.getMessage(), ex);
		}
	}

	private BoundServerSocket bindTcp(ServerBinding.Tcp tcp) throws IOException {
		SSLContext ssl = tcp.sslContext();
		ServerSocket socket = (ssl != null) ? ssl.getServerSocketFactory().createServerSocket() : new ServerSocket();
		if (socket instanceof SSLServerSocket tls) {
			if (!tcp.tlsProtocols().isEmpty()) {
				tls.setEnabledProtocols(tcp.tlsProtocols().toArray(String[]::new));
			}
			if (!tcp.tlsCiphers().isEmpty()) {
				tls.setEnabledCipherSuites(tcp.tlsCiphers().toArray(String[]::new));
			}
		}
		try {
			socket.setReuseAddress(true);
			socket.bind(new InetSocketAddress(tcp.host(), tcp.port()), BACKLOG);
		}
		catch (BindException ex) {
			socket.close();
			throw new IpcConfigurationException(property() + ".port",
					"cannot listen on " + tcp.host() + ":" + tcp.port() + " (" + ex.getMessage() + ")",
					"Stop the process that uses the port, choose another port, or use 0 for an ephemeral one.");
		}
		int port = socket.getLocalPort();
		return new BoundServerSocket(socket, tcp.host() + ":" + port, port, () -> {
		});
	}

	/**
	 * Stop accepting, close every connection, wait for their threads to end and remove
	 * the socket file of a local server.
	 */
	public void stop() {
		synchronized (this.lifecycleMonitor) {
			ServerConnectionFactory connectionFactory = this.factory;
			if (connectionFactory == null) {
				return;
			}
			connectionFactory.stop();
			ThreadPoolExecutor pool = this.executor;
			if (pool != null) {
				shutdown(pool);
			}
			BoundServerSocket boundSocket = this.bound;
			if (boundSocket != null) {
				try {
					boundSocket.socket().close();
					boundSocket.cleanup().run();
				}
				catch (IOException ex) {
					logger.warn("Could not remove socket " + boundSocket.address() + " of server '" + name() + "'", ex);
				}
			}
			this.factory = null;
			this.executor = null;
			this.bound = null;
			this.stopped = true;
			this.publisher.publishEvent(new SocketServerStoppedEvent(this));
		}
	}

	private void shutdown(ThreadPoolExecutor pool) {
		pool.shutdown();
		try {
			if (!pool.awaitTermination(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
				logger.warn("Listener calls of socket server '" + name() + "' still running after "
						+ STOP_TIMEOUT_SECONDS + "s; interrupting them");
				pool.shutdownNow();
				pool.awaitTermination(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			pool.shutdownNow();
		}
	}

	/**
	 * Whether the server is listening.
	 * @return whether it was started and not stopped
	 */
	public boolean isRunning() {
		return this.bound != null;
	}

	/**
	 * Where the server listens.
	 * @return a socket path, {@code @name} for an abstract name, {@code host:port}, or
	 * {@code null} when not running
	 */
	public @Nullable String address() {
		BoundServerSocket boundSocket = this.bound;
		return (boundSocket != null) ? boundSocket.address() : null;
	}

	/**
	 * The bound TCP port, useful with {@code port: 0}.
	 * @return the port, or {@code -1} for a local server or when not running
	 */
	public int port() {
		BoundServerSocket boundSocket = this.bound;
		return (boundSocket != null) ? boundSocket.port() : -1;
	}

	/**
	 * How many connections are open and admitted.
	 * @return the count
	 */
	public int openConnections() {
		return this.openConnections.get();
	}

	/**
	 * Whether the server listens: UP with its address and open connections while it does,
	 * DOWN after a failed start or once stopped, UNKNOWN before it was started.
	 * @return the state
	 */
	@Override
	public IpcResourceState state() {
		BoundServerSocket boundSocket = this.bound;
		ServerConnectionFactory connectionFactory = this.factory;
		Map<String, Object> details = new LinkedHashMap<>();
		if (boundSocket != null) {
			details.put((this.settings.binding() instanceof ServerBinding.Local) ? "path" : "address",
					boundSocket.address());
			details.put("connections", this.openConnections.get());
			details.put("framing", this.settings.framing().value());
			if (connectionFactory != null && !connectionFactory.isListening()) {
				return IpcResourceState.down("no longer accepting connections", details);
			}
			return IpcResourceState.up(details);
		}
		String failed = this.failure;
		if (failed != null) {
			return IpcResourceState.down(failed, details);
		}
		return this.stopped ? IpcResourceState.down("stopped", details) : IpcResourceState.unknown("not started");
	}

	IpcChannelMetrics metrics() {
		return this.metrics;
	}

	@Nullable String admit() {
		int max = this.settings.maxConnections();
		while (true) {
			int current = this.openConnections.get();
			if (current >= max) {
				this.metrics.connectionFailed("max-connections");
				return "server has max-connections (" + max + ") open";
			}
			if (this.openConnections.compareAndSet(current, current + 1)) {
				return null;
			}
		}
	}

	void release() {
		this.openConnections.decrementAndGet();
	}

	void dispatch(Message<?> message, ServerConnection connection) {
		IpcMessageListener target = this.listener;
		if (target != null) {
			target.onMessage(message, connection);
		}
	}

	void connectionFailed(ServerConnection connection, String reason, @Nullable Throwable cause) {
		logger.debug("Closing connection " + connection.getConnectionId() + " of server '" + name() + "' from "
				+ connection.describePeer() + ": " + reason);
		publish(new SocketConnectionFailedEvent(this, connection.getConnectionId(), connection.describePeer(), reason,
				cause));
	}

	void publish(SocketConnectionEvent event) {
		this.publisher.publishEvent(event);
	}

}
