package dev.ipcboot.socket.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.support.GenericMessage;

import dev.ipcboot.listener.IpcHeaders;
import dev.ipcboot.listener.IpcMessageListener;
import dev.ipcboot.listener.IpcReplyTarget;
import dev.ipcboot.socket.ClientEndpoint;
import dev.ipcboot.socket.IpcClientSettings;
import dev.ipcboot.socket.SocketHeaders;
import dev.ipcboot.socket.SocketOptions;

/**
 * A client's subscription on the application's {@link SocketEngine}: a Netty
 * {@link Bootstrap} on the engine's event loops (epoll with Unix-domain sockets and
 * abstract names, TCP, TLS from the client's SSL bundle; NIO where epoll is missing), the
 * servers' {@link FrameDecoder} and {@link FrameEncoder} for the client's framing, and
 * the pushes handed to the engine's workers through a queue of the connection's own, so
 * the listener sees them one at a time and in order, as a server's listener sees a
 * connection's requests. No thread is held by the subscription while it waits.
 * <p>
 * Bounded: a frame may not exceed {@code max-message-size}; when
 * {@value ServerConnection#MAX_QUEUED} pushes wait for the listener (or the subscription
 * is {@link #pause() paused}) the connection is not read after the current read (at most
 * 64 KiB), and the server's writes push back through the kernel's buffers. A reply the
 * listener returns waits for room in the outbound buffer at most the client's
 * {@code request-timeout}; a server that reads nothing for that long is disconnected, its
 * replies dropped, with one WARN.
 * <p>
 * A lost connection is connected again after a delay that doubles from
 * {@code reconnect-delay} up to {@code reconnect-max-delay}, on an event loop's timer.
 */
final class EngineClientSubscription implements ClientSubscription {

	private static final Log logger = LogFactory.getLog(SocketIpcClient.class);

	private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(32 * 1024, 128 * 1024);

	private final IpcClientSettings settings;

	private final IpcClientSettings.Subscription subscription;

	private final IpcMessageListener listener;

	private final SocketEngine engine;

	private final SocketAddress address;

	/** TLS of a TCP subscription; replaced when the SSL bundle was reloaded. */
	private volatile @Nullable Tls ssl;

	private final @Nullable TcpClientEndpoint tcp;

	private final Bootstrap bootstrap;

	private final Object monitor = new Object();

	private volatile boolean running;

	private volatile boolean paused;

	private volatile @Nullable Connection connection;

	/** Guarded by {@link #monitor}. */
	private long delayNanos;

	/** Guarded by {@link #monitor}. */
	private @Nullable ScheduledFuture<?> reconnect;

	/** Guarded by {@link #monitor}. */
	private @Nullable ChannelFuture connecting;

	private EngineClientSubscription(IpcClientSettings settings, IpcClientSettings.Subscription subscription,
			IpcMessageListener listener, SocketEngine engine, SocketAddress address, boolean local,
			@Nullable TcpClientEndpoint tcp) {
		this.settings = settings;
		this.subscription = subscription;
		this.listener = listener;
		this.engine = engine;
		this.address = address;
		this.tcp = tcp;
		this.ssl = (tcp != null && tcp.sslBundle() != null) ? new Tls(tcp.sslBundle()) : null;
		this.delayNanos = subscription.reconnectDelay().toNanos();
		// no Netty resolver: addresses are resolved here, per attempt, off the loop (see
		// resolved()); a resolver group would also listen to each loop's termination,
		// which
		// starts Netty's non-daemon globalEventExecutor thread when the engine closes
		this.bootstrap = new Bootstrap().group(engine.group())
			.disableResolver()
			.channel(engine.clientChannelType(local))
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Durations.millis(settings.connectTimeout()))
			.option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
			.handler(new ChannelInitializer<Channel>() {

				@Override
				protected void initChannel(Channel channel) {
					initConnection(channel);
				}

			});
		if (!local) {
			SocketOptions options = (tcp != null) ? tcp.options() : SocketOptions.DEFAULTS;
			this.bootstrap.option(ChannelOption.TCP_NODELAY, options.tcpNoDelay())
				.option(ChannelOption.SO_KEEPALIVE, options.keepAlive());
			if (options.receiveBufferSize() > 0) {
				this.bootstrap.option(ChannelOption.SO_RCVBUF, options.receiveBufferSize());
			}
			if (options.sendBufferSize() > 0) {
				this.bootstrap.option(ChannelOption.SO_SNDBUF, options.sendBufferSize());
			}
		}
	}

	/**
	 * A subscription on the engine, or {@code null} when the engine cannot reach the
	 * endpoint (an abstract name without epoll, an endpoint it does not know).
	 */
	static @Nullable EngineClientSubscription create(IpcClientSettings settings,
			IpcClientSettings.Subscription subscription, IpcMessageListener listener, SocketEngine engine) {
		ClientEndpoint endpoint = settings.endpoint();
		if (!canReach(endpoint, engine)) {
			return null;
		}
		if (endpoint instanceof LocalClientEndpoint local) {
			return new EngineClientSubscription(settings, subscription, listener, engine,
					engine.localAddress(local.pathOrName(), local.isAbstract()), true, null);
		}
		if (endpoint instanceof TcpClientEndpoint tcp) {
			return new EngineClientSubscription(settings, subscription, listener, engine,
					InetSocketAddress.createUnresolved(tcp.host(), tcp.port()), false, tcp);
		}
		return null;
	}

	/**
	 * Whether a subscription to the endpoint can run on the engine: a local socket (an
	 * abstract name only with epoll) or a TCP address of ours.
	 */
	static boolean canReach(ClientEndpoint endpoint, SocketEngine engine) {
		if (endpoint instanceof LocalClientEndpoint local) {
			return !local.isAbstract() || engine.isEpoll();
		}
		return endpoint instanceof TcpClientEndpoint;
	}

	/** An SSL bundle and the Netty context made of it. */
	private record Tls(SslBundle bundle, SslContext context) {

		Tls(SslBundle bundle) {
			this(bundle, sslContext(bundle));
		}

	}

	private static SslContext sslContext(SslBundle bundle) {
		SslOptions options = bundle.getOptions();
		String[] ciphers = options.getCiphers();
		String[] protocols = options.getEnabledProtocols();
		return new JdkSslContext(bundle.createSslContext(), true, (ciphers != null) ? java.util.List.of(ciphers) : null,
				IdentityCipherSuiteFilter.INSTANCE, ApplicationProtocolConfig.DISABLED, ClientAuth.NONE, protocols,
				false);
	}

	private void initConnection(Channel channel) {
		Connection handler = new Connection(channel);
		ChannelPipeline pipeline = channel.pipeline();
		Tls current = this.ssl;
		if (current != null && this.tcp != null) {
			SslBundle bundle = this.tcp.sslBundle();
			if (bundle != null && bundle != current.bundle()) {
				// the bundle was reloaded: this connection uses the rotated stores
				current = new Tls(bundle);
				this.ssl = current;
			}
			SslHandler tls = current.context().newHandler(channel.alloc(), this.tcp.host(), this.tcp.port());
			SSLEngine engine = tls.engine();
			SSLParameters parameters = engine.getSSLParameters();
			parameters.setEndpointIdentificationAlgorithm("HTTPS");
			engine.setSSLParameters(parameters);
			tls.setHandshakeTimeoutMillis(Durations.millis(this.settings.connectTimeout()));
			pipeline.addLast("tls", tls);
		}
		pipeline.addLast("frames",
				new FrameDecoder(this.settings.framing(), this.settings.maxMessageSize(), false, 0, 0, handler));
		pipeline.addLast("subscription", handler);
	}

	@Override
	public void start() {
		this.running = true;
		connect();
	}

	private void connect() {
		if (!this.running) {
			return;
		}
		ChannelFuture future;
		try {
			future = this.bootstrap.connect(resolved());
		}
		catch (RejectedExecutionException ex) {
			// the engine is shutting down
			return;
		}
		synchronized (this.monitor) {
			this.connecting = future;
		}
		future.addListener((ChannelFuture done) -> {
			if (!done.isSuccess()) {
				if (this.running) {
					logger.debug("Client '" + name() + "' could not open its subscription to " + describe() + ": "
							+ done.cause());
				}
				scheduleReconnect();
				return;
			}
			done.channel().closeFuture().addListener((closed) -> scheduleReconnect());
			if (!this.running) {
				done.channel().close();
			}
		});
	}

	private SocketAddress resolved() {
		if (this.address instanceof InetSocketAddress inet && inet.isUnresolved()) {
			// resolved per attempt, so that a host whose address changed is found again
			return new InetSocketAddress(inet.getHostString(), inet.getPort());
		}
		return this.address;
	}

	private void scheduleReconnect() {
		if (!this.running) {
			return;
		}
		synchronized (this.monitor) {
			long delay = this.delayNanos;
			this.delayNanos = Math.min(delay * 2, this.subscription.reconnectMaxDelay().toNanos());
			try {
				this.reconnect = this.engine.group()
					.next()
					.schedule(this::connectOffTheLoop, delay, TimeUnit.NANOSECONDS);
			}
			catch (RejectedExecutionException ex) {
				// the engine is shutting down: nothing to connect again
			}
		}
	}

	/**
	 * Connect from a worker: resolving a TCP host name may block, which an event loop
	 * must not.
	 */
	private void connectOffTheLoop() {
		try {
			this.engine.workers().execute(this::connect);
		}
		catch (RejectedExecutionException ex) {
			// the engine is shutting down: nothing to connect again
		}
	}

	private void connected(Connection opened) {
		synchronized (this.monitor) {
			this.delayNanos = this.subscription.reconnectDelay().toNanos();
		}
		this.connection = opened;
		opened.open = true;
		opened.updateAutoRead();
		logger.info("Client '" + name() + "' subscribed to " + describe());
	}

	@Override
	public boolean isConnected() {
		Connection current = this.connection;
		return current != null && current.open && current.channel.isActive();
	}

	/**
	 * Stop reading. When this returns, the connection's event loop has applied it:
	 * nothing is read after (what was read before is still delivered).
	 */
	@Override
	public boolean pause() {
		this.paused = true;
		applyNow();
		return true;
	}

	@Override
	public void resume() {
		this.paused = false;
		applyNow();
	}

	/**
	 * Apply the reading switch on the connection's event loop and wait for it, unless the
	 * caller is an event loop (which must not wait).
	 */
	private void applyNow() {
		Connection current = this.connection;
		if (current == null) {
			return;
		}
		Channel channel = current.channel;
		if (channel.eventLoop().inEventLoop()) {
			current.updateAutoRead();
			return;
		}
		try {
			io.netty.util.concurrent.Future<?> applied = channel.eventLoop().submit(current::updateAutoRead);
			if (!this.engine.inEventLoop()) {
				applied.awaitUninterruptibly(this.settings.connectTimeout().toMillis());
			}
		}
		catch (RejectedExecutionException ex) {
			// the engine is shutting down and closes the connection
		}
	}

	/**
	 * Whether the subscription's connection is being read now (for tests).
	 */
	boolean isReading() {
		Connection current = this.connection;
		return current != null && current.channel.config().isAutoRead();
	}

	/**
	 * Pushes read and not yet delivered, or being delivered (for tests).
	 */
	int queuedPushes() {
		Connection current = this.connection;
		return (current != null) ? current.pendingFrames() : 0;
	}

	@Override
	public void close() {
		this.running = false;
		ChannelFuture pending;
		synchronized (this.monitor) {
			if (this.reconnect != null) {
				this.reconnect.cancel(false);
				this.reconnect = null;
			}
			pending = this.connecting;
			this.connecting = null;
		}
		if (pending != null) {
			pending.cancel(false);
			Channel channel = pending.channel();
			if (channel != null) {
				ChannelFuture closed = channel.close();
				if (!this.engine.inEventLoop()) {
					closed.awaitUninterruptibly(5, TimeUnit.SECONDS);
				}
			}
		}
	}

	private String name() {
		return this.settings.name();
	}

	private String describe() {
		return this.settings.endpoint().describe();
	}

	/**
	 * One connection of the subscription: the last handler of its pipeline and the
	 * listener's {@link IpcReplyTarget}.
	 */
	private final class Connection extends ChannelInboundHandlerAdapter implements IpcReplyTarget, FrameDecoder.Owner {

		private final Channel channel;

		private final MessageHeaders headers;

		/** Guarded by {@link #queue}: pushes read and not yet delivered. */
		private final ArrayDeque<Object> frames = new ArrayDeque<>();

		private final Object queue = new Object();

		/** Guarded by {@link #queue}: whether a worker is draining {@link #frames}. */
		private boolean draining;

		/** Guarded by {@link #queue}: frames queued or being handled. */
		private int pending;

		private final AtomicBoolean writeTimedOut = new AtomicBoolean();

		private volatile boolean open;

		private volatile boolean closedByUs;

		Connection(Channel channel) {
			this.channel = channel;
			Map<String, Object> map = new HashMap<>();
			map.put(IpcHeaders.CHANNEL, name());
			map.put(SocketHeaders.CONNECTION_ID, name() + ":" + UUID.randomUUID());
			this.headers = new ConnectionHeaders(map);
		}

		// --- FrameDecoder.Owner

		@Override
		public boolean isStopping() {
			return !EngineClientSubscription.this.running;
		}

		@Override
		public boolean isBusy() {
			synchronized (this.queue) {
				return this.pending > 0;
			}
		}

		@Override
		public void frameQueued(int length) {
		}

		@Override
		public void buffered(int delta) {
		}

		// --- inbound, on the event loop

		@Override
		public void channelActive(ChannelHandlerContext ctx) throws Exception {
			if (EngineClientSubscription.this.ssl == null) {
				connected(this);
			}
			super.channelActive(ctx);
		}

		@Override
		public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
			if (event instanceof SslHandshakeCompletionEvent handshake) {
				if (handshake.isSuccess()) {
					connected(this);
				}
				else {
					logger.warn("Client '" + name() + "': the TLS handshake with " + describe() + " failed: "
							+ handshake.cause().getMessage());
					close();
				}
			}
			super.userEventTriggered(ctx, event);
		}

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object frame) {
			boolean start;
			boolean full;
			synchronized (this.queue) {
				this.frames.add(frame);
				this.pending++;
				full = this.pending >= ServerConnection.MAX_QUEUED;
				start = !this.draining;
				this.draining = true;
			}
			if (full) {
				updateAutoRead();
			}
			if (start) {
				try {
					EngineClientSubscription.this.engine.workers().execute(this::drain);
				}
				catch (RejectedExecutionException ex) {
					// the engine is shutting down
					synchronized (this.queue) {
						this.draining = false;
					}
				}
			}
		}

		private void drain() {
			while (true) {
				Object frame;
				synchronized (this.queue) {
					frame = this.frames.poll();
					if (frame == null) {
						this.draining = false;
						return;
					}
				}
				try {
					// what was read before the server closed is still delivered; a reply
					// to it
					// is dropped
					if (EngineClientSubscription.this.running) {
						EngineClientSubscription.this.listener.onMessage(new GenericMessage<>(frame, this.headers),
								this);
					}
				}
				catch (RuntimeException ex) {
					logger.error("Client '" + name() + "': unexpected failure delivering a push", ex);
				}
				finally {
					if (frame instanceof ByteBuf buffer) {
						buffer.release();
					}
					boolean resume;
					synchronized (this.queue) {
						this.pending--;
						resume = this.pending == ServerConnection.MAX_QUEUED / 2;
					}
					if (resume) {
						updateAutoRead();
					}
				}
			}
		}

		int pendingFrames() {
			synchronized (this.queue) {
				return this.pending;
			}
		}

		/**
		 * Read or stop reading as the subscription's state says now; worked out and
		 * applied on the event loop only, as {@code ServerConnection} does: a worker's
		 * "read" applied before the loop's stale "stop" left the subscription unread for
		 * good.
		 */
		void updateAutoRead() {
			if (!EngineLoopGroup.inLoopOrLater(this.channel, this::updateAutoRead)) {
				return;
			}
			boolean read = this.open && !EngineClientSubscription.this.paused
					&& pendingFrames() < ServerConnection.MAX_QUEUED;
			if (this.channel.config().isAutoRead() != read) {
				this.channel.config().setAutoRead(read);
			}
		}

		@Override
		public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
			synchronized (this.queue) {
				this.queue.notifyAll();
			}
			if (!this.channel.isWritable()) {
				ctx.executor()
					.schedule(this::checkWriteProgress,
							EngineClientSubscription.this.settings.requestTimeout().toNanos(), TimeUnit.NANOSECONDS);
			}
			super.channelWritabilityChanged(ctx);
		}

		private void checkWriteProgress() {
			if (this.channel.isActive() && !this.channel.isWritable() && !this.writeTimedOut.getAndSet(true)) {
				logger.warn("Client '" + name() + "' closed its subscription to " + describe()
						+ ": the server read nothing for the request timeout ("
						+ Durations.format(EngineClientSubscription.this.settings.requestTimeout())
						+ ") while replies waited for it; they were dropped");
				close();
			}
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			Throwable failure = (cause instanceof DecoderException && cause.getCause() != null) ? cause.getCause()
					: cause;
			if (this.closedByUs || !EngineClientSubscription.this.running) {
				logger.debug("Client '" + name() + "': subscription failed after it was closed", failure);
			}
			else if (failure instanceof FrameException) {
				logger.warn("Client '" + name() + "' closed its subscription to " + describe() + ": "
						+ failure.getMessage() + "; connecting again");
			}
			else if (failure instanceof IOException) {
				logger.debug("Client '" + name() + "' lost its subscription to " + describe() + ": " + failure);
			}
			else {
				logger.warn("Client '" + name() + "' closed its subscription to " + describe()
						+ " after an unexpected failure", failure);
			}
			close();
		}

		@Override
		public void channelInactive(ChannelHandlerContext ctx) throws Exception {
			boolean wasOpen = this.open;
			this.open = false;
			synchronized (this.queue) {
				this.queue.notifyAll();
			}
			if (wasOpen && !this.closedByUs && EngineClientSubscription.this.running) {
				logger.info("Client '" + name() + "': the server closed the subscription; connecting again");
			}
			super.channelInactive(ctx);
		}

		// --- replies, on a worker

		@Override
		public void reply(byte[] payload) {
			int max = EngineClientSubscription.this.settings.maxMessageSize();
			if (payload.length > max) {
				logger.warn("Client '" + name() + "' could not answer a push from " + describe() + ": the reply of "
						+ payload.length + " bytes exceeds max-message-size of " + max + " bytes; the subscription"
						+ " is connected again");
				close();
				return;
			}
			if (!awaitWritable()) {
				return;
			}
			ByteBuf frame = FrameEncoder.encode(this.channel.alloc(), EngineClientSubscription.this.settings.framing(),
					payload);
			this.channel.writeAndFlush(frame, this.channel.voidPromise());
		}

		private boolean awaitWritable() {
			if (!this.channel.isActive()) {
				return false;
			}
			if (this.channel.isWritable() || EngineClientSubscription.this.engine.inEventLoop()) {
				return true;
			}
			long deadline = System.nanoTime() + EngineClientSubscription.this.settings.requestTimeout().toNanos();
			synchronized (this.queue) {
				while (this.channel.isActive() && !this.channel.isWritable()) {
					long left = deadline - System.nanoTime();
					if (left <= 0) {
						break;
					}
					try {
						TimeUnit.NANOSECONDS.timedWait(this.queue, left);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
						return false;
					}
				}
			}
			if (!this.channel.isActive()) {
				return false;
			}
			if (!this.channel.isWritable()) {
				checkWriteProgress();
				return false;
			}
			return true;
		}

		@Override
		public void fail(Throwable error) {
			close();
		}

		@Override
		public String describePeer() {
			return describe();
		}

		void close() {
			this.closedByUs = true;
			this.channel.close();
		}

	}

}
