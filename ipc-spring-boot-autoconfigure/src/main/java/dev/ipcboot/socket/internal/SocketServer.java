package dev.ipcboot.socket.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.SSLContext;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.messaging.Message;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;

import dev.ipcboot.internal.IpcChannelMetrics;
import dev.ipcboot.IpcConfigurationException;
import dev.ipcboot.internal.IpcMetrics;
import dev.ipcboot.internal.IpcResource;
import dev.ipcboot.internal.IpcResourceState;
import dev.ipcboot.listener.IpcChannel;
import dev.ipcboot.listener.IpcHeaders;
import dev.ipcboot.listener.IpcMessageListener;
import dev.ipcboot.socket.Framing;
import dev.ipcboot.socket.IpcClientException;
import dev.ipcboot.socket.IpcConnection;
import dev.ipcboot.socket.IpcConnectionClosedException;
import dev.ipcboot.socket.IpcServer;
import dev.ipcboot.socket.ServerBinding;
import dev.ipcboot.socket.SocketActivation;
import dev.ipcboot.socket.SocketConnectionClosedEvent;
import dev.ipcboot.socket.SocketConnectionFailedEvent;
import dev.ipcboot.socket.SocketConnectionOpenedEvent;
import dev.ipcboot.socket.SocketHeaders;
import dev.ipcboot.socket.SocketOptions;
import dev.ipcboot.socket.SocketServerSettings;
import dev.ipcboot.socket.SocketServerStartedEvent;
import dev.ipcboot.socket.SocketServerStoppedEvent;
import dev.ipcboot.socket.SocketTransport;

/**
 * A local (Unix-domain) or TCP socket server: the channel of one {@code ipc.servers}
 * entry, on the application's {@link SocketEngine}. Connections are read by the engine's
 * event loops, which hold no thread per connection; each connection's frames go to the
 * {@code @IpcListener} on the engine's workers (or, with {@code dispatch: event-loop}, on
 * the event loop that read them), one at a time and in order. Bad input, a missed
 * deadline, a failing listener or a peer that does not read closes that one connection
 * with a {@link SocketConnectionFailedEvent}; the server keeps serving the others.
 * Stopping drains: nothing more is read, the calls already read are answered, then the
 * connections close.
 */
public final class SocketServer implements IpcChannel, IpcResource, IpcServer {

	private static final Log logger = LogFactory.getLog(SocketServer.class);

	private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(32 * 1024, 128 * 1024);

	/**
	 * Reads start small and grow with what arrives, up to 1 MiB a read (Netty's default
	 * stops at 64 KiB, so a stream costs four times the reads a plain 256 KiB reader
	 * needs); an idle connection holds no read buffer either way. Small reads go to the
	 * event loop's spare buffer ({@link LoopBuffers}).
	 */
	private static final LoopBuffers.Reads READS = new LoopBuffers.Reads(
			new AdaptiveRecvByteBufAllocator(64, LoopBuffers.SIZE, 1024 * 1024));

	private static final long REFUSAL_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

	private final SocketServerSettings settings;

	private final ApplicationEventPublisher publisher;

	private final SocketEngine engine;

	private final ClientPayloads payloads;

	private final IpcChannelMetrics metrics;

	private final ConnectionLimit connectionLimit;

	private final ServerHealth health;

	private final Object lifecycleMonitor = new Object();

	private final Set<ServerConnection> connections = ConcurrentHashMap.newKeySet();

	private final Set<ServerConnection> paused = ConcurrentHashMap.newKeySet();

	private final AtomicLong buffered = new AtomicLong();

	private final Object drainMonitor = new Object();

	private final RefusalLog refusals;

	/**
	 * The TLS context new connections get, or {@code null} for plain TCP; replaced when
	 * the SSL bundle is reloaded.
	 */
	private final AtomicReference<@Nullable SslContext> tls = new AtomicReference<>();

	private volatile @Nullable IpcMessageListener listener;

	/**
	 * Whether frames are lent to the listener as views of the connection's input buffer
	 * instead of copied into arrays: for length-prefixed frames, the framing of bulk
	 * binary payloads. The listener core copies for a listener that keeps its payload.
	 */
	private final boolean lendsPayload;

	private volatile @Nullable BoundServerSocket bound;

	private volatile boolean stopping;

	/** Whether its listener is paused: accept and read nothing (see pauseReading). */
	private volatile boolean readingPaused;

	/**
	 * Whether its listener is stopped: do not bind until it starts (see stopReceiving).
	 */
	private volatile boolean held;

	/**
	 * Create a server; it listens once {@link #start() started}.
	 * @param settings validated settings
	 * @param engine the event loops and workers it runs on
	 * @param converter converts what {@link IpcConnection#send} is given, as replies are
	 * @param publisher where the server's events go
	 * @param metrics where it records messages and connections (its channel handle is
	 * taken once, here)
	 */
	public SocketServer(SocketServerSettings settings, SocketEngine engine, MessageConverter converter,
			ApplicationEventPublisher publisher, IpcMetrics metrics) {
		this.settings = settings;
		this.engine = engine;
		this.payloads = new ClientPayloads(settings.name(), converter);
		this.publisher = publisher;
		this.metrics = metrics.channel(settings.name(), transport());
		this.connectionLimit = new ConnectionLimit(settings.maxConnections(), settings.maxConnectionsPerPeer());
		this.health = new ServerHealth(settings);
		this.refusals = new RefusalLog(settings.name(), engine, REFUSAL_LOG_INTERVAL_NANOS);
		this.lendsPayload = settings.framing() == Framing.LENGTH_PREFIXED;
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
		this.listener = ServerListeners.only(this, this.listener, listener);
	}

	/**
	 * Channel, connection id, and the peer's pid, uid and gid (local, with Netty's epoll
	 * transport) or remote address (TCP).
	 * @return the header names
	 */
	@Override
	public Set<String> headers() {
		if (this.settings.binding().transport() == SocketTransport.TCP) {
			return Set.of(IpcHeaders.CHANNEL, SocketHeaders.CONNECTION_ID, SocketHeaders.REMOTE_ADDRESS);
		}
		if (this.engine.isEpoll()) {
			return Set.of(IpcHeaders.CHANNEL, SocketHeaders.CONNECTION_ID, SocketHeaders.PEER_PID,
					SocketHeaders.PEER_UID, SocketHeaders.PEER_GID);
		}
		return Set.of(IpcHeaders.CHANNEL, SocketHeaders.CONNECTION_ID);
	}

	/**
	 * @return {@code true}: this channel implements {@code pauseReading} or
	 * {@code stopReceiving}
	 */
	@Override
	public boolean holdsAtSource() {
		return true;
	}

	/**
	 * The listener is paused: stop accepting (new peers wait in the backlog) and stop
	 * reading every connection (their writes fill the socket buffers and block); what was
	 * already read is still handled.
	 * @return {@code true}
	 */
	@Override
	public boolean pauseReading() {
		setReading(false);
		return true;
	}

	/**
	 * Accept and read again.
	 */
	@Override
	public void resumeReading() {
		setReading(true);
	}

	private void setReading(boolean reading) {
		this.readingPaused = !reading;
		List<io.netty.util.concurrent.Future<?>> applied = new ArrayList<>();
		BoundServerSocket boundSocket = this.bound;
		if (boundSocket != null) {
			Channel channel = boundSocket.channel();
			applied.add(channel.eventLoop().submit(() -> channel.config().setAutoRead(reading)));
		}
		for (ServerConnection connection : this.connections) {
			applied.add(connection.pauseForListener(!reading));
		}
		// once this returns, nothing more is read (a connection closing meanwhile is
		// skipped); an event loop must not wait for tasks it may have to run itself
		if (!onEventLoop()) {
			for (io.netty.util.concurrent.Future<?> future : applied) {
				future.awaitUninterruptibly(5, TimeUnit.SECONDS);
			}
		}
	}

	private boolean onEventLoop() {
		for (io.netty.util.concurrent.EventExecutor executor : this.engine.group()) {
			if (executor.inEventLoop()) {
				return true;
			}
		}
		return false;
	}

	/**
	 * The listener is stopped: stop as on shutdown (the socket file of a local server is
	 * removed, so peers are refused), and do not start again until
	 * {@link #startReceiving()}.
	 * @return {@code true}
	 */
	@Override
	public boolean stopReceiving() {
		this.held = true;
		stop();
		return true;
	}

	/**
	 * Bind again after {@link #stopReceiving()}.
	 */
	@Override
	public void startReceiving() {
		this.held = false;
		start();
	}

	/**
	 * A listener of a server may declare an {@link IpcConnection} parameter.
	 * @return the resolver of that parameter
	 */
	@Override
	public List<HandlerMethodArgumentResolver> argumentResolvers() {
		return List.of(new IpcConnectionArgumentResolver());
	}

	/**
	 * Bind and start accepting. Binding is synchronous, so an address in use or a socket
	 * path served by another process fails here.
	 * @throws IpcConfigurationException if the address cannot be used, naming it
	 * @throws UncheckedIOException if binding fails for another reason
	 */
	public void start() {
		synchronized (this.lifecycleMonitor) {
			if (this.bound != null) {
				return;
			}
			if (this.held) {
				logger.info("Socket server '" + name() + "' is not started: its listener is stopped until"
						+ " IpcListenerEndpointRegistry.start");
				return;
			}
			this.stopping = false;
			BoundServerSocket boundSocket;
			try {
				boundSocket = bind();
			}
			catch (RuntimeException ex) {
				this.health.failed("could not bind: " + ex.getMessage());
				throw ex;
			}
			this.bound = boundSocket;
			if (this.readingPaused) {
				boundSocket.channel().config().setAutoRead(false);
			}
			this.health.started();
			if (this.listener == null) {
				logger.warn("Socket server '" + name() + "' has no @IpcListener: it accepts connections but drops"
						+ " what they send");
			}
			logger.info("Socket server '" + name() + "' (" + kind() + ", " + this.settings.framing() + " framing)"
					+ " listening on " + boundSocket.address());
			this.publisher.publishEvent(new SocketServerStartedEvent(this, boundSocket.address(), boundSocket.port()));
		}
	}

	private BoundServerSocket bind() {
		boolean local = this.settings.binding() instanceof ServerBinding.Local;
		if (this.settings.binding() instanceof ServerBinding.Tcp tcp && tcp.sslContext() != null
				&& this.tls.get() == null) {
			this.tls.compareAndSet(null, sslContext(tcp, tcp.sslContext()));
		}
		SocketOptions options = this.settings.options();
		SystemdSockets.Checked passed = activatedSocket(local);
		ServerBootstrap bootstrap = new ServerBootstrap().group(this.engine.group())
			.option(ChannelOption.SO_BACKLOG, options.backlog())
			.childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
			.childOption(ChannelOption.RCVBUF_ALLOCATOR, READS)
			.childHandler(new ChannelInitializer<Channel>() {
				@Override
				protected void initChannel(Channel channel) {
					initConnection(channel, SocketServer.this.tls.get());
				}
			});
		if (!local || this.engine.isEpoll()) {
			// a peer that ends its output (raw framing, socat) is still answered; the
			// JDK's
			// Unix-domain channels under NIO cannot half-close
			bootstrap.childOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
		}
		applyOptions(bootstrap, options, local);
		if (passed != null) {
			return SystemdSockets.adopt(this.settings, passed, local, bootstrap);
		}
		bootstrap.channel(this.engine.serverChannelType(local));
		LocalSocketBinder.Binding binding = (address) -> bindChannel(bootstrap, address);
		try {
			if (this.settings.binding() instanceof ServerBinding.Local localBinding) {
				return LocalSocketBinder.bind(this.settings, localBinding, this.engine, binding);
			}
			return TcpSocketBinder.bind(this.settings, (ServerBinding.Tcp) this.settings.binding(), binding);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(
					"Could not bind socket server '" + name() + "' (" + property() + "): " + ex.getMessage(), ex);
		}
	}

	/**
	 * Buffer sizes on the listening socket (accepted connections inherit the receive
	 * buffer, which also sizes the TCP window offered during the handshake) and on each
	 * connection; keep-alive and Nagle on TCP connections.
	 */
	private static void applyOptions(ServerBootstrap bootstrap, SocketOptions options, boolean local) {
		if (options.receiveBufferSize() > 0) {
			bootstrap.option(ChannelOption.SO_RCVBUF, options.receiveBufferSize())
				.childOption(ChannelOption.SO_RCVBUF, options.receiveBufferSize());
		}
		if (options.sendBufferSize() > 0) {
			bootstrap.childOption(ChannelOption.SO_SNDBUF, options.sendBufferSize());
		}
		if (!local) {
			bootstrap.option(ChannelOption.SO_REUSEADDR, true)
				.childOption(ChannelOption.TCP_NODELAY, options.tcpNoDelay())
				.childOption(ChannelOption.SO_KEEPALIVE, options.keepAlive());
		}
	}

	/**
	 * The socket systemd passed for this server, checked; {@code null} to bind as usual.
	 * @throws IpcConfigurationException if activation is required and none was passed, or
	 * the passed one does not fit
	 */
	private SystemdSockets.@Nullable Checked activatedSocket(boolean local) {
		SocketActivation activation = this.settings.activation();
		if (activation.mode() == SocketActivation.Mode.NONE) {
			return null;
		}
		SystemdSockets passed = SystemdSockets.passed();
		java.util.Optional<Integer> fd = passed.find(activation.name());
		if (fd.isEmpty()) {
			if (activation.mode() == SocketActivation.Mode.REQUIRED) {
				throw new IpcConfigurationException(property() + ".activation",
						"activation is required but systemd passed no socket named '" + activation.name() + "'"
								+ ((passed.count() == 0) ? " (no LISTEN_FDS for this process)"
										: " (passed: " + String.join(", ", passed.names()) + ")"),
						"Start the application from a systemd .socket unit whose FileDescriptorName= is '"
								+ activation.name() + "' (or set systemd-socket), or set activation: optional to"
								+ " bind as configured without one.");
			}
			logger.info("Socket server '" + name() + "': systemd passed no socket named '" + activation.name()
					+ "', binding as configured");
			return null;
		}
		if (!this.engine.isEpoll()) {
			throw new IpcConfigurationException(property() + ".activation",
					"adopting the socket systemd passed needs Netty's epoll transport, which is unavailable",
					"Run on Linux with netty-transport-native-epoll on the class path, or set activation: none.");
		}
		return SystemdSockets.check(this.settings, fd.get(), local);
	}

	private static Channel bindChannel(ServerBootstrap bootstrap, SocketAddress address) throws IOException {
		ChannelFuture future = bootstrap.bind(address).awaitUninterruptibly();
		if (!future.isSuccess()) {
			Throwable cause = future.cause();
			if (cause instanceof IOException io) {
				throw io;
			}
			throw new IOException(String.valueOf(cause), cause);
		}
		return future.channel();
	}

	private static SslContext sslContext(ServerBinding.Tcp tcp, SSLContext context) {
		ClientAuth clientAuth = switch (tcp.clientAuth()) {
			case NONE -> ClientAuth.NONE;
			case WANT -> ClientAuth.OPTIONAL;
			case NEED -> ClientAuth.REQUIRE;
		};
		return new JdkSslContext(context, false, tcp.tlsCiphers().isEmpty() ? null : tcp.tlsCiphers(),
				IdentityCipherSuiteFilter.INSTANCE, null, clientAuth,
				tcp.tlsProtocols().isEmpty() ? null : tcp.tlsProtocols().toArray(String[]::new), false);
	}

	/**
	 * Use a new TLS context (the rotated key and trust store of a reloaded SSL bundle)
	 * for the connections accepted from now on; connections already open keep theirs.
	 * @param sslContext the new context
	 * @throws IllegalStateException if this server does not speak TLS
	 */
	public void sslContextUpdated(SSLContext sslContext) {
		if (!(this.settings.binding() instanceof ServerBinding.Tcp tcp) || tcp.sslContext() == null) {
			throw new IllegalStateException("Socket server '" + name() + "' does not speak TLS");
		}
		this.tls.set(sslContext(tcp, sslContext));
		logger.info("Socket server '" + name() + "': TLS context updated; new connections use it");
	}

	private void initConnection(Channel channel, @Nullable SslContext ssl) {
		if (this.stopping) {
			channel.close();
			return;
		}
		ServerConnection connection = new ServerConnection(this, channel);
		if (this.readingPaused) {
			connection.pauseForListener(true);
		}
		ChannelPipeline pipeline = channel.pipeline();
		if (ssl != null) {
			pipeline.addLast("tls", ssl.newHandler(channel.alloc()));
		}
		FrameDecoder decoder = new FrameDecoder(this.settings, this.lendsPayload, connection);
		connection.decoder(decoder);
		if (ssl == null) {
			// reads of a stream may go behind the unfinished frame (with TLS the decoder
			// sees decrypted buffers, not the reads)
			channel.config().setRecvByteBufAllocator(READS.forConnection(decoder));
		}
		pipeline.addLast("frames", decoder);
		pipeline.addLast("connection", connection);
	}

	/**
	 * Stop within 30 seconds; see {@link #stop(Duration)}.
	 */
	public void stop() {
		stop(Duration.ofSeconds(30));
	}

	/**
	 * Stop accepting, answer the calls already read (nothing more is read), close every
	 * connection and remove the socket file of a local server.
	 * @param timeout how long the calls may take to finish; those still running then are
	 * cut
	 */
	public void stop(Duration timeout) {
		beginStop();
		awaitStop(System.nanoTime() + timeout.toNanos());
	}

	/**
	 * Stop accepting and reading; part of a stop that several servers share.
	 */
	void beginStop() {
		synchronized (this.lifecycleMonitor) {
			BoundServerSocket boundSocket = this.bound;
			if (boundSocket == null || this.stopping) {
				return;
			}
			this.stopping = true;
			boundSocket.release();
			try {
				boundSocket.cleanup().run();
			}
			catch (IOException ex) {
				logger.warn("Could not remove socket " + boundSocket.address() + " of server '" + name() + "'", ex);
			}
			this.connections.forEach(ServerConnection::beginStop);
		}
	}

	/**
	 * Wait until the calls read before the stop are answered, or the deadline; then close
	 * every connection.
	 * @param deadline a {@link System#nanoTime()} value
	 */
	void awaitStop(long deadline) {
		synchronized (this.lifecycleMonitor) {
			if (this.bound == null || !this.stopping) {
				return;
			}
			int before = pendingFrames();
			int left = before;
			synchronized (this.drainMonitor) {
				while (left > 0) {
					long wait = deadline - System.nanoTime();
					if (wait <= 0) {
						break;
					}
					try {
						TimeUnit.NANOSECONDS.timedWait(this.drainMonitor,
								Math.min(wait, TimeUnit.MILLISECONDS.toNanos(50)));
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
						break;
					}
					left = pendingFrames();
				}
			}
			List<ChannelFuture> closing = new ArrayList<>();
			for (ServerConnection connection : this.connections) {
				connection.closeAfterWrites();
			}
			for (ServerConnection connection : List.copyOf(this.connections)) {
				closing.add(connection.closeFuture());
			}
			long closeDeadline = Math.max(deadline, System.nanoTime() + TimeUnit.SECONDS.toNanos(1));
			for (ChannelFuture future : closing) {
				long wait = closeDeadline - System.nanoTime();
				if (wait <= 0 || !future.awaitUninterruptibly(wait, TimeUnit.NANOSECONDS)) {
					future.channel().close();
				}
			}
			String line = "Socket server '" + name() + "' stopped: drained " + (before - left)
					+ " listener call(s), cut " + left;
			if (left > 0) {
				logger.warn(line + " that were still running at the end of the shutdown timeout");
			}
			else {
				logger.info(line);
			}
			this.bound = null;
			this.health.stopped();
			this.publisher.publishEvent(new SocketServerStoppedEvent(this));
		}
	}

	private int pendingFrames() {
		int pending = 0;
		for (ServerConnection connection : this.connections) {
			pending += connection.pendingFrames();
		}
		return pending;
	}

	void drained() {
		synchronized (this.drainMonitor) {
			this.drainMonitor.notifyAll();
		}
	}

	/**
	 * Whether the server is listening.
	 * @return whether it was started and not stopped
	 */
	public boolean isRunning() {
		return this.bound != null && !this.stopping;
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
		return this.connectionLimit.open();
	}

	@Override
	public Collection<IpcConnection> connections() {
		List<IpcConnection> open = new ArrayList<>();
		for (ServerConnection connection : this.connections) {
			if (connection.isOpen()) {
				open.add(connection);
			}
		}
		return open;
	}

	@Override
	public int broadcast(Object payload) {
		byte[] bytes = toBytes(payload);
		int took = 0;
		for (ServerConnection connection : this.connections) {
			if (!connection.isOpen()) {
				continue;
			}
			try {
				connection.send(bytes);
				took++;
			}
			catch (IpcConnectionClosedException ex) {
				logger.debug("Broadcast of server '" + name() + "' skipped " + connection + ": " + ex.getMessage());
			}
		}
		return took;
	}

	/**
	 * Whether the server listens: UP with its address and open connections while it does,
	 * DOWN after a failed start or once stopped, UNKNOWN before it was started.
	 * @return the state
	 */
	@Override
	public IpcResourceState state() {
		return this.health.state(this.bound, this.connectionLimit.open());
	}

	IpcChannelMetrics metrics() {
		return this.metrics;
	}

	SocketEngine engine() {
		return this.engine;
	}

	byte[] toBytes(Object payload) {
		try {
			return this.payloads.toBytes(payload);
		}
		catch (IpcClientException ex) {
			throw new IllegalArgumentException(ex.getMessage().replace("Client '", "Server '"), ex);
		}
	}

	void dispatch(Message<?> message, ServerConnection connection) {
		IpcMessageListener target = this.listener;
		if (target != null) {
			target.onMessage(message, connection);
		}
	}

	/**
	 * Admit a connection whose peer is known, or refuse it (caps).
	 * @return {@code null} when admitted, else the refusal, already logged and published
	 */
	@Nullable String admit(ServerConnection connection) {
		if (this.stopping) {
			return "server is stopping";
		}
		ConnectionLimit.Refusal refusal = this.connectionLimit.admit(connection.peerKey());
		if (refusal != null) {
			refused(connection, refusal.description(), refusal.metric());
			return refusal.description();
		}
		this.connections.add(connection);
		if (this.readingPaused) {
			connection.pauseForListener(true);
		}
		this.metrics.connectionOpened();
		// on the event loop, before the connection is read: so before its first message,
		// and without waking a worker for each of thousands of idle connections
		publish(new SocketConnectionOpenedEvent(this, connection, connection.describePeer()));
		return null;
	}

	void refused(ServerConnection connection, String reason, String metric) {
		this.metrics.connectionFailed(metric);
		this.refusals.refused(connection.describePeer(), reason);
		publish(new SocketConnectionFailedEvent(this, connection, connection.describePeer(), reason, null));
	}

	void closed(ServerConnection connection) {
		this.connections.remove(connection);
		this.paused.remove(connection);
		this.connectionLimit.release(connection.peerKey());
		this.metrics.connectionClosed();
		connection.execute(() -> publish(new SocketConnectionClosedEvent(this, connection, connection.describePeer())),
				false);
		drained();
	}

	/**
	 * Count bytes of one connection's unfinished or unhandled frames towards
	 * {@code max-buffered-bytes}: over it, that connection stops reading; under it again,
	 * the paused connections read again.
	 */
	void buffered(int delta, ServerConnection connection) {
		long total = this.buffered.addAndGet(delta);
		if (delta > 0 && total > this.settings.maxBufferedBytes()) {
			if (this.paused.add(connection)) {
				connection.pauseForBudget(true);
			}
		}
		else if (delta < 0 && total <= this.settings.maxBufferedBytes() && !this.paused.isEmpty()) {
			for (ServerConnection waiting : this.paused) {
				if (this.paused.remove(waiting)) {
					waiting.pauseForBudget(false);
				}
			}
		}
	}

	/**
	 * Bytes held now for unfinished and unhandled frames across all connections.
	 * @return the count
	 */
	long bufferedBytes() {
		return this.buffered.get();
	}

	void connectionFailed(ServerConnection connection, String reason, @Nullable Throwable cause) {
		logger.debug("Closing connection " + connection.id() + " of server '" + name() + "' from "
				+ connection.describePeer() + ": " + reason);
		SocketConnectionFailedEvent event = new SocketConnectionFailedEvent(this, connection, connection.describePeer(),
				reason, cause);
		if (connection.isAdmitted() && !connection.isOwnWorker()) {
			connection.execute(() -> publish(event), false);
		}
		else {
			publish(event);
		}
	}

	void publish(Object event) {
		this.publisher.publishEvent(event);
	}

}
