package dev.ipcboot.socket.internal;

import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.serializer.Deserializer;
import org.springframework.core.serializer.Serializer;
import org.springframework.integration.ip.tcp.serializer.SoftEndOfStreamException;
import org.springframework.messaging.converter.MessageConverter;

import dev.ipcboot.internal.IpcInvocation;
import dev.ipcboot.internal.IpcInvocationMetrics;
import dev.ipcboot.internal.IpcMetrics;
import dev.ipcboot.internal.IpcResource;
import dev.ipcboot.internal.IpcResourceState;
import dev.ipcboot.IpcResourceStatus;
import dev.ipcboot.listener.IpcChannel;
import dev.ipcboot.listener.IpcMessageListener;
import dev.ipcboot.socket.Framing;
import dev.ipcboot.socket.IpcClient;
import dev.ipcboot.socket.IpcClientException;
import dev.ipcboot.socket.IpcClientSettings;
import dev.ipcboot.socket.IpcClientTimeoutException;
import dev.ipcboot.socket.SocketHeaders;

/**
 * The {@link IpcClient} of a local or TCP socket server. A synchronous request runs
 * entirely on the calling thread: borrow a connection, write the frame with the framing's
 * Spring Integration serializer, read the reply frame with its deserializer, give the
 * connection back. No message channels, no hand-off to another thread.
 * <p>
 * A connection whose request timed out or failed is closed, never reused. The request
 * timeout bounds the write as well: a {@link WriteWatchdog} cuts a write that a server
 * which stopped reading has blocked. A request on a reused connection that the server had
 * closed (it was restarted) is repeated on a new connection, and the other idle
 * connections, opened to the same server, are closed with it. A request whose frame could
 * not be written (nothing of it reached a listener) is repeated as well; a call makes at
 * most {@value #MAX_ATTEMPTS} attempts.
 */
public final class SocketIpcClient implements IpcClient, IpcResource, IpcChannel, AutoCloseable {

	/**
	 * Attempts of one call: a stale pooled connection, then a failed write, then done.
	 */
	static final int MAX_ATTEMPTS = 3;

	private final IpcClientSettings settings;

	/** The request timeout in nanoseconds, converted once. */
	private final long requestTimeoutNanos;

	private final Framing framing;

	private final Serializer<byte[]> serializer;

	private final Deserializer<byte[]> deserializer;

	private final ClientPayloads payloads;

	private final ClientConnectionPool requests;

	private final ClientConnectionPool sends;

	private final ExecutorService asyncExecutor;

	private final WriteWatchdog watchdog;

	private final boolean local;

	private final IpcInvocationMetrics invocations;

	private final @Nullable SocketEngine engine;

	private volatile @Nullable ClientSubscription subscription;

	/** Why the last call failed to reach the server, or {@code null} after a success. */
	private volatile @Nullable String lastFailure;

	private volatile boolean called;

	/**
	 * Create a client that records no metrics; it connects on the first call.
	 * @param settings the client's settings
	 * @param converter converts payloads and replies other than {@code byte[]} and
	 * {@code String}
	 * @param publisher receives the connection events
	 */
	public SocketIpcClient(IpcClientSettings settings, MessageConverter converter,
			ApplicationEventPublisher publisher) {
		this(settings, converter, publisher, IpcMetrics.NONE);
	}

	/**
	 * Create a client; it connects on the first call.
	 * @param settings the client's settings
	 * @param converter converts payloads and replies other than {@code byte[]} and
	 * {@code String}
	 * @param publisher receives the connection events
	 * @param metrics times its requests (the handle is taken once, here)
	 */
	public SocketIpcClient(IpcClientSettings settings, MessageConverter converter, ApplicationEventPublisher publisher,
			IpcMetrics metrics) {
		this(settings, converter, publisher, metrics, null);
	}

	/**
	 * Create a client whose subscription ({@code subscribe: true}) runs on an engine's
	 * event loops and workers; it connects on the first call.
	 * @param settings the client's settings
	 * @param converter converts payloads and replies other than {@code byte[]} and
	 * {@code String}
	 * @param publisher receives the connection events
	 * @param metrics times its requests (the handle is taken once, here)
	 * @param engine the application's socket engine, or {@code null} to give a
	 * subscription a blocking reader thread of its own
	 */
	public SocketIpcClient(IpcClientSettings settings, MessageConverter converter, ApplicationEventPublisher publisher,
			IpcMetrics metrics, @Nullable SocketEngine engine) {
		this.engine = engine;
		this.settings = settings;
		this.requestTimeoutNanos = settings.requestTimeout().toNanos();
		this.framing = settings.framing();
		FrameCodec codec = new FrameCodec(this.framing, settings.maxMessageSize());
		this.serializer = codec;
		this.deserializer = codec;
		this.payloads = new ClientPayloads(settings.name(), converter);
		this.requests = new ClientConnectionPool(settings, this, publisher);
		this.sends = new ClientConnectionPool(settings, this, publisher);
		this.asyncExecutor = newExecutor(settings);
		this.watchdog = new WriteWatchdog("ipc-client-" + settings.name() + "-writes", settings.requestTimeout(),
				this.requests, this.sends);
		this.local = settings.endpoint() instanceof LocalClientEndpoint;
		this.invocations = metrics.client(settings.name(), this.local ? "local" : "tcp");
	}

	private static ExecutorService newExecutor(IpcClientSettings settings) {
		AtomicInteger count = new AtomicInteger();
		ThreadPoolExecutor executor = new ThreadPoolExecutor(settings.poolSize(), settings.poolSize(), 10,
				TimeUnit.SECONDS, new LinkedBlockingQueue<>(), (task) -> {
					Thread thread = new Thread(task, "ipc-client-" + settings.name() + "-" + count.incrementAndGet());
					thread.setDaemon(true);
					return thread;
				});
		executor.allowCoreThreadTimeOut(true);
		return executor;
	}

	@Override
	public String name() {
		return this.settings.name();
	}

	/**
	 * The server's address.
	 * @return for example {@code local:/run/orders.sock}
	 */
	public String address() {
		return this.settings.endpoint().describe();
	}

	@Override
	public String kind() {
		return this.local ? "local client" : "tcp client";
	}

	/**
	 * UP while the last call reached the server, DOWN with the reason after one that
	 * could not (refused, timed out, connection lost), UNKNOWN before the first call.
	 * @return the state, with the address and the open connections
	 */
	@Override
	public IpcResourceState state() {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("address", address());
		details.put("connections", this.requests.openConnections() + this.sends.openConnections());
		String failure = this.lastFailure;
		if (failure != null) {
			return IpcResourceState.down(failure, details);
		}
		return this.called ? IpcResourceState.up(details)
				: new IpcResourceState(IpcResourceStatus.UNKNOWN, "no call yet", details);
	}

	private void record(@Nullable IpcClientException failure) {
		this.called = true;
		this.lastFailure = (failure != null) ? failure.getMessage() : null;
	}

	@Override
	public void send(Object payload) {
		try {
			doSend(payload);
			record(null);
		}
		catch (IpcClientException ex) {
			record(ex);
			throw ex;
		}
	}

	private void doSend(Object payload) {
		byte[] bytes = this.payloads.toBytes(payload);
		long deadline = System.nanoTime() + this.requestTimeoutNanos;
		for (int attempt = 1;; attempt++) {
			ClientConnection connection = this.sends.borrow(deadline);
			try {
				write(connection, bytes, deadline);
				if (this.framing == Framing.RAW) {
					this.sends.discard(connection, null);
				}
				else {
					this.sends.giveBack(connection);
				}
				return;
			}
			catch (IOException ex) {
				this.sends.discard(connection, ex);
				if (connection.isWriteCut()) {
					throw writeTimeout(ex);
				}
				if (mayRepeat(this.sends, attempt, connection, false, ex)) {
					continue;
				}
				throw failure("could not send to", ex);
			}
			catch (RuntimeException | Error ex) {
				this.sends.discard(connection, ex);
				throw ex;
			}
		}
	}

	@Override
	public byte[] request(Object payload) {
		IpcInvocation invocation = this.invocations.start(null);
		try {
			byte[] reply = doRequest(payload);
			record(null);
			invocation.success();
			return reply;
		}
		catch (IpcClientException ex) {
			record(ex);
			invocation.failure(ex);
			throw ex;
		}
		catch (RuntimeException | Error ex) {
			invocation.failure(ex);
			throw ex;
		}
	}

	private byte[] doRequest(Object payload) {
		byte[] bytes = this.payloads.toBytes(payload);
		long deadline = System.nanoTime() + this.requestTimeoutNanos;
		for (int attempt = 1;; attempt++) {
			ClientConnection connection = this.requests.borrow(deadline);
			boolean written = false;
			try {
				write(connection, bytes, deadline);
				written = true;
				byte[] reply = this.deserializer.deserialize(connection.input());
				if (this.framing == Framing.RAW) {
					this.requests.discard(connection, null);
				}
				else {
					this.requests.giveBack(connection);
				}
				return reply;
			}
			catch (SocketTimeoutException ex) {
				this.requests.discard(connection, ex);
				throw new IpcClientTimeoutException(name(),
						"Client '" + name() + "' got no reply from " + address() + " within the request timeout of "
								+ Durations.format(this.settings.requestTimeout())
								+ "; the connection was closed. Check that the server answers every request in '"
								+ this.settings.framing().value() + "' framing, or raise ipc.clients." + name()
								+ ".request-timeout",
						this.settings.requestTimeout(), ex);
			}
			catch (IOException | SoftEndOfStreamException ex) {
				this.requests.discard(connection, ex);
				if (!written && connection.isWriteCut()) {
					throw writeTimeout(ex);
				}
				if (mayRepeat(this.requests, attempt, connection, written, ex)) {
					continue;
				}
				throw failure(written ? "got no complete reply from" : "could not send to", ex);
			}
			catch (RuntimeException | Error ex) {
				this.requests.discard(connection, ex);
				throw ex;
			}
		}
	}

	/**
	 * Whether a failed attempt can be repeated on another connection without the server
	 * seeing the request twice, and if the connection had gone stale, close the pool's
	 * other idle connections too (they reach the same, restarted, server).
	 * <p>
	 * A frame that could not be written was not delivered whole, so no listener saw it:
	 * that is the case of a local socket whose server closed it (the write is refused),
	 * and of a new connection that broke before the request went out. A TCP write to a
	 * closed peer succeeds and the read then ends, so on a reused TCP connection an
	 * end-of-stream (or reset) before any reply byte counts as well; a TCP server that
	 * closes a reused connection on purpose after reading the request sees it twice.
	 */
	private boolean mayRepeat(ClientConnectionPool pool, int attempt, ClientConnection connection, boolean written,
			Exception ex) {
		if (attempt >= MAX_ATTEMPTS || pool.isClosed() || connection.isWriteCut()
				|| ex instanceof FrameCodec.OversizedMessageException) {
			return false;
		}
		boolean stale = connection.isReused() && (!written
				|| (!this.local && (ex instanceof SoftEndOfStreamException || ex instanceof SocketException)));
		if (stale) {
			pool.closeIdle();
		}
		return stale || !written;
	}

	@Override
	public <T> T request(Object payload, Class<T> replyType) {
		return this.payloads.fromBytes(request(payload), replyType);
	}

	@Override
	public CompletableFuture<byte[]> requestAsync(Object payload) {
		try {
			return CompletableFuture.supplyAsync(() -> request(payload), this.asyncExecutor);
		}
		catch (RejectedExecutionException ex) {
			return CompletableFuture
				.failedFuture(new IpcClientException(name(), "Client '" + name() + "' is closed", ex));
		}
	}

	@Override
	public <T> CompletableFuture<T> requestAsync(Object payload, Class<T> replyType) {
		return requestAsync(payload).thenApply((reply) -> this.payloads.fromBytes(reply, replyType));
	}

	private void write(ClientConnection connection, byte[] bytes, long deadline) throws IOException {
		connection.beginWrite(deadline);
		this.watchdog.writing(System.nanoTime());
		try {
			this.serializer.serialize(bytes, connection.output());
			connection.output().flush();
			if (this.framing == Framing.RAW) {
				connection.socket().shutdownOutput();
			}
		}
		finally {
			connection.endWrite();
		}
	}

	private IpcClientTimeoutException writeTimeout(Exception ex) {
		return new IpcClientTimeoutException(name(), "Client '" + name() + "' could not write its message to "
				+ address() + " within the request timeout of " + Durations.format(this.settings.requestTimeout())
				+ ": the server is not reading; the connection was closed. Check the server, or raise ipc.clients."
				+ name() + ".request-timeout", this.settings.requestTimeout(), ex);
	}

	private IpcClientException failure(String what, Exception ex) {
		if (this.requests.isClosed()) {
			return new IpcClientException(name(), "Client '" + name() + "' was closed during the request", ex);
		}
		String message = (ex instanceof SoftEndOfStreamException) ? "the server closed the connection"
				: ex.getMessage();
		return new IpcClientException(name(), "Client '" + name() + "' " + what + " " + address() + ": " + message
				+ " (framing '" + this.settings.framing().value() + "'); check the server's log", ex);
	}

	/**
	 * Close every connection and stop the threads of {@link #requestAsync}. Requests in
	 * flight fail with an {@link IpcClientException}.
	 */
	@Override
	public void close() {
		ClientSubscription subscribed = this.subscription;
		if (subscribed != null) {
			subscribed.close();
		}
		this.requests.close();
		this.sends.close();
		this.watchdog.close();
		this.asyncExecutor.shutdownNow();
		try {
			this.asyncExecutor.awaitTermination(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public String toString() {
		return "IpcClient '" + name() + "' -> " + address();
	}

	/**
	 * The client's configuration entry, for messages.
	 * @return {@code ipc.clients.<name>}
	 */
	@Override
	public String property() {
		return "ipc.clients." + name();
	}

	/**
	 * Attach the listener of a subscribing client's pushes and open its subscription,
	 * which stays open (and is opened again after it was lost) until the client is
	 * closed.
	 * @param listener the listener
	 * @throws IllegalStateException if the client does not subscribe or already has a
	 * listener
	 */
	@Override
	public synchronized void addListener(IpcMessageListener listener) {
		IpcClientSettings.Subscription settings = this.settings.subscription();
		if (settings == null) {
			throw new IllegalStateException("Client '" + name() + "' does not subscribe; set " + property()
					+ ".subscribe=true to receive what the server pushes");
		}
		if (this.subscription != null) {
			throw new dev.ipcboot.IpcConfigurationException(
					property(), "client '" + name() + "' already has a listener for its pushes, so "
							+ listener.describe() + " cannot listen to it too",
					"Keep one @IpcListener method per subscribing client.");
		}
		ClientSubscription subscribed = (this.engine != null)
				? EngineClientSubscription.create(this.settings, settings, listener, this.engine) : null;
		if (subscribed == null) {
			subscribed = new BlockingClientSubscription(this.settings, settings,
					new FrameCodec(this.framing, this.settings.maxMessageSize()), listener);
		}
		this.subscription = subscribed;
		subscribed.start();
	}

	/**
	 * The subscription, once a listener is attached.
	 * @return it, or {@code null}
	 */
	@Nullable ClientSubscription subscription() {
		return this.subscription;
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
	 * Stop reading the subscription's connection (the listener registry's pause): pushes
	 * already read are still delivered, the server's further pushes wait in the kernel's
	 * buffers and then in the server's bounded output.
	 * @return whether reading stopped; {@code false} before a listener is attached
	 */
	@Override
	public boolean pauseReading() {
		ClientSubscription subscribed = this.subscription;
		return subscribed != null && subscribed.pause();
	}

	/**
	 * Read the subscription's connection again after {@link #pauseReading()}.
	 */
	@Override
	public void resumeReading() {
		ClientSubscription subscribed = this.subscription;
		if (subscribed != null) {
			subscribed.resume();
		}
	}

	/**
	 * Read again after the registry stopped the subscription's listener: a stop is a
	 * pause of the reading here (the connection stays open, {@code stopReceiving} keeps
	 * its default), so starting again resumes it.
	 */
	@Override
	public void startReceiving() {
		resumeReading();
	}

	/**
	 * Whether the thread that delivers a push may be held for a paused listener: only the
	 * blocking fallback's own reader thread; on the engine pushes are delivered on the
	 * shared worker pool.
	 * @return whether it may
	 */
	@Override
	public boolean blocksWhenHeld() {
		SocketEngine onEngine = this.engine;
		return onEngine == null || !EngineClientSubscription.canReach(this.settings.endpoint(), onEngine);
	}

	/**
	 * Channel and connection id: what a subscription's pushes carry.
	 * @return the header names
	 */
	@Override
	public java.util.Set<String> headers() {
		return java.util.Set.of(dev.ipcboot.listener.IpcHeaders.CHANNEL, SocketHeaders.CONNECTION_ID);
	}

	/**
	 * Whether the subscription's connection is open now.
	 * @return {@code false} when the client does not subscribe or is reconnecting
	 */
	public boolean isSubscribed() {
		ClientSubscription subscribed = this.subscription;
		return subscribed != null && subscribed.isConnected();
	}

}
