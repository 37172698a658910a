package dev.ipcboot.socket.internal;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.net.ssl.SSLPeerUnverifiedException;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.uring.IoUringDomainSocketChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.unix.PeerCredentials;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.support.GenericMessage;

import dev.ipcboot.internal.IpcChannelMetrics;
import dev.ipcboot.listener.IpcHeaders;
import dev.ipcboot.listener.IpcReplyTarget;
import dev.ipcboot.socket.IpcConnection;
import dev.ipcboot.socket.Framing;
import dev.ipcboot.socket.IpcConnectionClosedException;
import dev.ipcboot.socket.ServerBinding;
import dev.ipcboot.socket.SocketHeaders;
import dev.ipcboot.socket.SocketServerSettings;

/**
 * One accepted connection of a {@link SocketServer}: the last handler of its Netty
 * pipeline, the {@link IpcConnection} a listener may be given, and the listener's
 * {@link IpcReplyTarget}. Frames are handed to the engine's workers through a queue of
 * this connection's own, so its messages are handled one at a time and in order while
 * other connections are served in parallel. When {@value #MAX_QUEUED} frames wait, the
 * connection stops reading until the listener catches up: back-pressure reaches the peer
 * through the kernel's buffers. With {@code dispatch: event-loop} the listener is called
 * on the event loop as each frame is read, and the connection is not read while its
 * output is over the water mark.
 * <p>
 * Writes go through Netty's outbound buffer, bounded by a write-buffer water mark: a
 * writer waits for room at most {@code write-timeout}, and a peer that reads nothing for
 * that long while output waits for it is closed, its output dropped, with one WARN.
 */
final class ServerConnection extends ChannelInboundHandlerAdapter implements IpcConnection, IpcReplyTarget {

	/**
	 * The message header under which a listener's {@link IpcConnection} parameter is
	 * found.
	 */
	static final String CONNECTION_HEADER = "ipc_connection";

	private static final Log logger = LogFactory.getLog(SocketServer.class);

	static final int MAX_QUEUED = 32;

	private final SocketServer server;

	private final Channel channel;

	private final IpcChannelMetrics metrics;

	private final String id;

	private final Object monitor = new Object();

	/** Guarded by {@link #monitor}. */
	private final ArrayDeque<Object> tasks = new ArrayDeque<>();

	/** Guarded by {@link #monitor}: whether a worker is draining {@link #tasks}. */
	private boolean draining;

	/**
	 * Frames queued or being handled. Written under {@link #monitor} with
	 * {@code dispatch: workers} (the event loop adds, the worker removes); with
	 * {@code dispatch: event-loop} only the event loop writes it, without the monitor
	 * (release stores), so a request costs no monitor. Readers hold the monitor or read
	 * it as volatile.
	 */
	private volatile int frames;

	private static final VarHandle FRAMES;

	static {
		try {
			FRAMES = MethodHandles.lookup().findVarHandle(ServerConnection.class, "frames", int.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	/**
	 * Guarded by {@link #monitor}: calls whose listener returned a
	 * {@code CompletionStage} that has not delivered its outcome yet. Shutdown waits for
	 * them as for {@link #frames}; they do not stop the connection being read.
	 */
	private int deferred;

	private final Drainer drainer = new Drainer();

	/**
	 * Whether the listener is called on the event loop ({@code dispatch: event-loop}).
	 */
	private final boolean onEventLoop;

	/**
	 * Whether frames were queued during the current read batch and the worker is to be
	 * started when the batch ends; on the event loop only.
	 */
	private boolean startPending;

	/** The worker running this connection's queue now, if any. */
	private volatile @Nullable Thread worker;

	private @Nullable FrameDecoder decoder;

	private String peer;

	private Object peerKey = "";

	private MessageHeaders headers = ConnectionHeaders.NONE;

	private volatile X509Certificate @Nullable [] peerCertificates;

	/** On the event loop: whether the TLS peer's certificate was looked for. */
	private boolean certificateRead;

	private volatile boolean admitted;

	private volatile boolean stopping;

	private volatile boolean budgetPaused;

	private volatile boolean listenerPaused;

	private volatile boolean closedByUs;

	private volatile boolean inputEnded;

	private volatile boolean failureReported;

	private final AtomicBoolean writeTimedOut = new AtomicBoolean();

	ServerConnection(SocketServer server, Channel channel) {
		this.server = server;
		this.channel = channel;
		this.metrics = server.metrics();
		this.id = server.name() + ":" + UUID.randomUUID();
		this.peer = String.valueOf(channel.remoteAddress());
		this.onEventLoop = server.settings().dispatch() == SocketServerSettings.Dispatch.EVENT_LOOP;
	}

	void decoder(FrameDecoder decoder) {
		this.decoder = decoder;
	}

	@Override
	public String id() {
		return this.id;
	}

	@Override
	public String channel() {
		return this.server.name();
	}

	@Override
	public boolean isOpen() {
		return this.channel.isActive() && !this.closedByUs;
	}

	@Override
	public String describePeer() {
		return this.peer;
	}

	Object peerKey() {
		return this.peerKey;
	}

	MessageHeaders headers() {
		return this.headers;
	}

	boolean isStopping() {
		return this.stopping;
	}

	boolean isAdmitted() {
		return this.admitted;
	}

	/**
	 * Whether frames of this connection are queued or being handled: the idle deadline
	 * does not run out while the server itself is busy with the connection.
	 */
	boolean isBusy() {
		synchronized (this.monitor) {
			return this.frames > 0 || this.deferred > 0;
		}
	}

	// --- inbound, on the event loop

	@Override
	public void channelActive(ChannelHandlerContext ctx) throws Exception {
		String refusal;
		try {
			refusal = identifyPeer();
		}
		catch (RuntimeException ex) {
			refusal = "could not read the peer's credentials: " + ex.getMessage();
		}
		if (refusal != null) {
			this.server.refused(this, refusal, "peer-rejected");
			close();
			return;
		}
		refusal = this.server.admit(this);
		if (refusal != null) {
			close();
			return;
		}
		this.admitted = true;
		super.channelActive(ctx);
	}

	private @Nullable String identifyPeer() {
		Map<String, Object> map = new HashMap<>();
		map.put(IpcHeaders.CHANNEL, this.server.name());
		map.put(SocketHeaders.CONNECTION_ID, this.id);
		map.put(CONNECTION_HEADER, this);
		String refusal = null;
		if (this.server.settings().binding() instanceof ServerBinding.Local local) {
			if (this.channel instanceof EpollDomainSocketChannel
					|| this.server.engine().isIoUring() && this.channel instanceof IoUringDomainSocketChannel) {
				PeerCredentials credentials;
				try {
					credentials = (this.channel instanceof EpollDomainSocketChannel domain) ? domain.peerCredentials()
							: ((IoUringDomainSocketChannel) this.channel).peerCredentials();
				}
				catch (IOException ex) {
					throw new IllegalStateException(ex.getMessage(), ex);
				}
				int gid = (credentials.gids().length > 0) ? credentials.gids()[0] : -1;
				map.put(SocketHeaders.PEER_PID, credentials.pid());
				map.put(SocketHeaders.PEER_UID, credentials.uid());
				map.put(SocketHeaders.PEER_GID, gid);
				this.peer = "pid " + credentials.pid() + " uid " + credentials.uid() + " gid " + gid;
				this.peerKey = credentials.uid();
				Set<Integer> admitted = OwnUser.admittedUids(local);
				if (!admitted.isEmpty() && !admitted.contains(credentials.uid())) {
					refusal = local.allowedUids().isEmpty()
							? "peer uid " + credentials.uid() + " is not the server's own uid " + admitted
									+ " (an abstract name has no file mode: set allowed-uids to admit other users)"
							: "peer uid " + credentials.uid() + " is not in allowed-uids " + admitted;
				}
			}
			else {
				this.peer = "a local peer";
				if (!OwnUser.admittedUids(local).isEmpty()) {
					refusal = "peer credentials are unknown without Netty's epoll transport, so allowed-uids "
							+ OwnUser.admittedUids(local) + " cannot be checked";
				}
			}
		}
		else {
			SocketAddress remote = this.channel.remoteAddress();
			if (remote instanceof InetSocketAddress inet) {
				this.peer = inet.getAddress().getHostAddress() + ":" + inet.getPort();
				this.peerKey = inet.getAddress();
			}
			map.put(SocketHeaders.REMOTE_ADDRESS, this.peer);
		}
		this.headers = new ConnectionHeaders(map);
		return refusal;
	}

	/**
	 * After a TLS handshake in which the client presented a certificate: its subject and
	 * chain become headers of every message of the connection. Called when the handshake
	 * completes and, should a frame come first, before the connection's first frame
	 * (decrypted data only follows a complete handshake), so every message carries them.
	 */
	private void addPeerCertificate(ChannelHandlerContext ctx) {
		if (this.certificateRead) {
			return;
		}
		this.certificateRead = true;
		SslHandler tls = ctx.pipeline().get(SslHandler.class);
		if (tls == null) {
			return;
		}
		Certificate[] presented;
		try {
			presented = tls.engine().getSession().getPeerCertificates();
		}
		catch (SSLPeerUnverifiedException ex) {
			return; // client-auth: want, and the client had no certificate
		}
		if (presented.length == 0 || !(presented[0] instanceof X509Certificate)) {
			return;
		}
		X509Certificate[] chain = new X509Certificate[presented.length];
		for (int i = 0; i < presented.length; i++) {
			chain[i] = (X509Certificate) presented[i];
		}
		this.peerCertificates = chain;
		Map<String, Object> map = new HashMap<>(this.headers);
		map.put(SocketHeaders.PEER_CERTIFICATE_SUBJECT, chain[0].getSubjectX500Principal().getName());
		map.put(SocketHeaders.PEER_CERTIFICATES, chain);
		this.headers = new ConnectionHeaders(map);
	}

	/**
	 * The certificate chain the TLS client presented, the client's own certificate first.
	 * @return the chain, or {@code null} when no certificate was presented (plain TCP, a
	 * local socket, {@code client-auth: none}, or {@code want} without one)
	 */
	@Override
	public X509Certificate @Nullable [] peerCertificates() {
		X509Certificate[] chain = this.peerCertificates;
		return (chain != null) ? chain.clone() : null;
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object frame) {
		frameRead(ctx, frame);
	}

	/**
	 * A frame was read: handled here ({@code dispatch: event-loop}) or queued for the
	 * worker. The decoder hands its frames here directly; on the event loop.
	 * @param ctx a context of the connection's pipeline
	 * @param frame a {@code byte[]} or a {@link LentFrame}
	 */
	void frameRead(ChannelHandlerContext ctx, Object frame) {
		if (!this.certificateRead) {
			addPeerCertificate(ctx);
		}
		this.metrics.messageReceived(length(frame));
		if (this.onEventLoop) {
			handleHere(frame);
			return;
		}
		// the worker starts once per read batch (channelReadComplete), not per frame; the
		// frame itself is queued, without a task object around it
		if (enqueue(frame, true)) {
			this.startPending = true;
		}
	}

	@Override
	public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
		startWorkerIfPending();
		super.channelReadComplete(ctx);
	}

	private void startWorkerIfPending() {
		if (this.startPending) {
			this.startPending = false;
			// in an I/O pass the worker is started when the pass ends, together with the
			// other connections' of the pass
			if (!(this.channel.eventLoop() instanceof EngineLoopGroup.EngineLoop loop)
					|| !loop.handOffAfterIo(this.drainer)) {
				try {
					startWorker();
				}
				catch (RejectedExecutionException ex) {
					this.drainer.refused(ex);
				}
			}
		}
	}

	/**
	 * {@code dispatch: event-loop}: call the listener here and now; its reply is written
	 * by this thread without a task. Frames of a connection are read one after the other
	 * by its one event loop, so they stay in order.
	 */
	private void handleHere(Object frame) {
		// the only writer of frames with this dispatch
		FRAMES.setRelease(this, this.frames + 1);
		try {
			handle(frame);
		}
		catch (RuntimeException ex) {
			logger.error("Unexpected failure on connection " + this.id + " of server '" + this.server.name() + "'", ex);
		}
	}

	@Override
	public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
		if (event instanceof ChannelInputShutdownEvent) {
			// the peer ended its output: answer what it sent, then close
			startWorkerIfPending();
			this.inputEnded = true;
			closeWhenDone();
		}
		else if (event instanceof SslHandshakeCompletionEvent handshake) {
			if (handshake.isSuccess()) {
				addPeerCertificate(ctx);
			}
			else {
				report("tls-failed", "TLS handshake failed: " + handshake.cause().getMessage(), handshake.cause(),
						false);
				close();
			}
		}
		super.userEventTriggered(ctx, event);
	}

	@Override
	public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
		synchronized (this.monitor) {
			this.monitor.notifyAll();
		}
		if (!this.channel.isWritable()) {
			Duration timeout = this.server.settings().writeTimeout();
			ctx.executor().schedule(this::checkWriteProgress, timeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		if (this.onEventLoop) {
			// replies written here never wait for room: a peer that does not read stops
			// being read until its output drains
			updateAutoRead();
		}
		super.channelWritabilityChanged(ctx);
	}

	private void checkWriteProgress() {
		if (this.channel.isActive() && !this.channel.isWritable() && !this.writeTimedOut.getAndSet(true)) {
			long queued = this.channel.unsafe().outboundBuffer() != null
					? this.channel.unsafe().outboundBuffer().totalPendingWriteBytes() : 0;
			String reason = "it read nothing for write-timeout (" + this.server.settings().writeTimeout() + ") while "
					+ queued + " bytes waited for it; they were dropped";
			logger.warn("Socket server '" + this.server.name() + "' closed the connection from " + this.peer + ": "
					+ reason);
			report("write-timeout", reason, null, true);
			close();
		}
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		Throwable failure = (cause instanceof DecoderException && cause.getCause() != null) ? cause.getCause() : cause;
		if (this.closedByUs) {
			logger.debug("Connection " + this.id + " of server '" + this.server.name() + "' failed after it was closed",
					failure);
			return;
		}
		if (failure instanceof FrameException frame) {
			String message = "Socket server '" + this.server.name() + "' closed the connection from " + this.peer + ": "
					+ frame.getMessage();
			if ("idle-timeout".equals(frame.reason())) {
				logger.debug(message);
			}
			else {
				logger.warn(message);
			}
			report(frame.reason(), frame.getMessage(), frame, true);
		}
		else if (failure instanceof IOException) {
			// the peer reset the connection, or the system refused a read or write
			logger.debug("Socket server '" + this.server.name() + "' lost the connection from " + this.peer, failure);
			report("io-error", failure.getClass().getSimpleName() + ": " + failure.getMessage(), failure, true);
		}
		else {
			logger.warn("Socket server '" + this.server.name() + "' closed the connection from " + this.peer
					+ " after an unexpected failure", failure);
			report("io-error", failure.toString(), failure, true);
		}
		close();
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) throws Exception {
		startWorkerIfPending();
		synchronized (this.monitor) {
			this.monitor.notifyAll();
		}
		if (this.admitted) {
			this.admitted = false;
			this.server.closed(this);
		}
		super.channelInactive(ctx);
	}

	private void report(String reason, String description, @Nullable Throwable cause, boolean count) {
		if (this.failureReported) {
			return;
		}
		this.failureReported = true;
		if (count) {
			this.metrics.connectionFailed(reason);
		}
		this.server.connectionFailed(this, description, cause);
	}

	// --- the connection's queue, on the workers

	/**
	 * Run a task after every task queued before it, on a worker; here, if the workers
	 * refuse to start one (see {@link #workersRefused}).
	 * @param task the task
	 * @param frame whether it handles a frame (counted for back-pressure and shutdown)
	 */
	void execute(Runnable task, boolean frame) {
		if (enqueue(task, frame)) {
			try {
				startWorker();
			}
			catch (RejectedExecutionException ex) {
				workersRefused();
			}
		}
	}

	/**
	 * Queue a task, or a frame ({@code byte[]} or {@link LentFrame}) to handle.
	 * @return whether a worker must be started for the queue
	 */
	private boolean enqueue(Object task, boolean frame) {
		boolean start;
		synchronized (this.monitor) {
			this.tasks.add(task);
			if (frame) {
				this.frames++;
				if (this.frames >= MAX_QUEUED) {
					updateAutoRead();
				}
			}
			start = !this.draining;
			this.draining = true;
		}
		return start;
	}

	/**
	 * Give the queue to a worker; refused, {@link #draining} is still set and the caller
	 * must run {@link #workersRefused}.
	 */
	private void startWorker() {
		this.server.engine().workers().execute(this.drainer);
	}

	/**
	 * Runs the connection's queue on a worker; refused, the connection fails as if its
	 * read had.
	 */
	private final class Drainer implements EngineLoopGroup.WorkerTask {

		@Override
		public void run() {
			drain();
		}

		@Override
		public void refused(RejectedExecutionException ex) {
			// reported and closed first: the failure's event joins the queue, which is
			// still marked as being drained, and is published with the rest below
			ServerConnection.this.channel.pipeline().fireExceptionCaught(ex);
			workersRefused();
		}

	}

	/**
	 * No worker runs the queue, and none will: its frames are dropped (a lent frame's
	 * buffer released, its bytes given back to the server's budget, its count to
	 * shutdown's), and its other tasks, the connection's events, run here. Left queued,
	 * the frames kept the connection busy forever (it never idled out, and a stop waited
	 * for them until its timeout) and their bytes counted against
	 * {@code max-buffered-bytes} for good.
	 */
	private void workersRefused() {
		runQueue(false);
	}

	private void drop(Object frame) {
		int length = length(frame);
		if (frame instanceof LentFrame lent) {
			lent.owner().release();
		}
		frameDone(length);
	}

	private void drain() {
		runQueue(true);
	}

	/**
	 * Run the queue one entry at a time until it is empty, then mark it as not being
	 * drained.
	 * @param handle whether this is a worker, which handles the frames; otherwise the
	 * workers refused the queue and its frames are dropped ({@link #workersRefused})
	 */
	private void runQueue(boolean handle) {
		this.worker = handle ? Thread.currentThread() : null;
		while (true) {
			Object task;
			synchronized (this.monitor) {
				task = this.tasks.poll();
				if (task == null) {
					this.draining = false;
					this.worker = null;
					return;
				}
			}
			try {
				if (task instanceof Runnable runnable) {
					runnable.run();
				}
				else if (handle) {
					handle(task);
				}
				else {
					drop(task);
				}
			}
			catch (RuntimeException ex) {
				logger.error("Unexpected failure on connection " + this.id + " of server '" + this.server.name() + "'",
						ex);
			}
		}
	}

	private static int length(Object frame) {
		return (frame instanceof byte[] bytes) ? bytes.length : ((LentFrame) frame).view().remaining();
	}

	private void handle(Object frame) {
		int length = length(frame);
		try {
			// a lent frame's view is valid during the call: the listener core copies it
			// for a listener that keeps its payload, and makes it read-only for one that
			// reads it
			Object payload = (frame instanceof LentFrame lent) ? lent.view() : frame;
			Message<?> message = new GenericMessage<>(payload, this.headers);
			this.server.dispatch(message, this);
		}
		finally {
			if (frame instanceof LentFrame lent) {
				lent.owner().release();
			}
			frameDone(length);
		}
	}

	void frameQueued(int length) {
		// with dispatch: event-loop a frame is handled before the next one is read, so
		// its bytes are not held beyond the read that brought them (which counts them)
		if (!this.onEventLoop) {
			this.server.buffered(length, this);
		}
	}

	private void frameDone(int length) {
		boolean idle;
		if (this.onEventLoop) {
			// on the event loop, the only writer: one frame at a time, never MAX_QUEUED
			int left = this.frames - 1;
			FRAMES.setRelease(this, left);
			idle = left == 0;
		}
		else {
			synchronized (this.monitor) {
				this.frames--;
				idle = this.frames == 0;
				if (this.frames == MAX_QUEUED / 2) {
					updateAutoRead();
				}
			}
		}
		if (!this.onEventLoop) {
			this.server.buffered(-length, this);
		}
		if (this.stopping) {
			this.server.drained();
		}
		if (idle) {
			FrameDecoder frameDecoder = this.decoder;
			if (frameDecoder != null) {
				frameDecoder.activity();
			}
			closeWhenDone();
		}
	}

	/**
	 * Whether the caller is the worker running this connection's queue: what it publishes
	 * is then already in the connection's order.
	 */
	boolean isOwnWorker() {
		return this.worker == Thread.currentThread();
	}

	/**
	 * Calls not answered yet: frames queued or being handled, and replies a listener
	 * promised as a {@code CompletionStage}.
	 */
	int pendingFrames() {
		synchronized (this.monitor) {
			return this.frames + this.deferred;
		}
	}

	@Override
	public Runnable defer() {
		synchronized (this.monitor) {
			this.deferred++;
		}
		AtomicBoolean done = new AtomicBoolean();
		return () -> {
			if (done.compareAndSet(false, true)) {
				deferredDone();
			}
		};
	}

	private void deferredDone() {
		boolean idle;
		synchronized (this.monitor) {
			this.deferred--;
			idle = this.frames == 0 && this.deferred == 0;
		}
		if (this.stopping) {
			this.server.drained();
		}
		if (idle) {
			FrameDecoder frameDecoder = this.decoder;
			if (frameDecoder != null) {
				frameDecoder.activity();
			}
			closeWhenDone();
		}
	}

	void buffered(int delta) {
		this.server.buffered(delta, this);
	}

	void pauseForBudget(boolean pause) {
		this.budgetPaused = pause;
		updateAutoRead();
	}

	/**
	 * The server's listener is paused: read nothing until it resumes. Applied on the
	 * event loop, where clearing auto-read takes effect at once (from another thread
	 * Netty lets a pending read happen first).
	 * @return done once applied
	 */
	io.netty.util.concurrent.Future<?> pauseForListener(boolean pause) {
		this.listenerPaused = pause;
		if (this.channel.eventLoop().inEventLoop()) {
			updateAutoRead();
			return this.channel.eventLoop().newSucceededFuture(null);
		}
		return this.channel.eventLoop().submit(this::updateAutoRead);
	}

	/**
	 * Read or stop reading as the connection's state says now; worked out and applied on
	 * the event loop only. Worked out on a worker (a drained queue) while the loop worked
	 * out "stop" (a full one), the worker's "read" could be applied first and the loop's
	 * stale "stop" after it: the connection was then never read again, with nothing
	 * queued to resume it.
	 */
	private void updateAutoRead() {
		if (!EngineLoopGroup.inLoopOrLater(this.channel, this::updateAutoRead)) {
			return;
		}
		boolean read;
		synchronized (this.monitor) {
			read = !this.stopping && !this.budgetPaused && !this.listenerPaused && this.frames < MAX_QUEUED
					&& (!this.onEventLoop || this.channel.isWritable());
		}
		if (this.channel.config().isAutoRead() != read) {
			this.channel.config().setAutoRead(read);
		}
	}

	// --- writes, from any thread

	@Override
	public void reply(byte[] payload) {
		try {
			write(payload);
		}
		catch (IpcConnectionClosedException ex) {
			logger.debug("Reply to " + this.peer + " on server '" + this.server.name() + "' not written: "
					+ ex.getMessage());
		}
		catch (FrameException ex) {
			this.metrics.connectionFailed("write-failed");
			report("write-failed", "could not write a reply: " + ex.getMessage(), ex, false);
			close();
		}
	}

	@Override
	public void send(Object payload) {
		byte[] bytes = this.server.toBytes(payload);
		try {
			write(bytes);
		}
		catch (FrameException ex) {
			throw new IllegalArgumentException(
					"Cannot send to " + this.peer + " on server '" + this.server.name() + "': " + ex.getMessage(), ex);
		}
	}

	private void write(byte[] payload) throws FrameException {
		int max = this.server.settings().maxMessageSize();
		if (payload.length > max) {
			throw FrameException
				.oversized("Message of " + payload.length + " bytes exceeds max-message-size of " + max + " bytes");
		}
		awaitWritable();
		Framing framing = this.server.settings().framing();
		int length = FrameEncoder.length(framing, payload.length);
		// on the connection's loop a small reply goes out of the loop's spare buffer,
		// taken from the allocator only while the last one is still held
		ByteBuf frame = (length <= LoopBuffers.SIZE && this.channel.eventLoop().inEventLoop())
				? LoopBuffers.reply(this.channel.alloc()) : this.channel.alloc().buffer(length);
		FrameEncoder.encode(frame, framing, payload);
		// a failed write reaches exceptionCaught and closes the connection; no promise or
		// listener per message
		this.channel.writeAndFlush(frame, this.channel.voidPromise());
		this.metrics.messageSent(payload.length);
		FrameDecoder frameDecoder = this.decoder;
		if (frameDecoder != null) {
			frameDecoder.activity();
		}
	}

	/**
	 * Wait until the outbound buffer is under its water mark, at most
	 * {@code write-timeout}; never on an event loop (this connection's, which must go on
	 * writing, or another's, where a {@code dispatch: event-loop} listener sends to a
	 * connection of the other loop): the output then goes over the mark, and a peer that
	 * never takes it is closed at {@code write-timeout}.
	 */
	private void awaitWritable() {
		if (!isOpen()) {
			throw closed();
		}
		if (this.channel.isWritable() || this.server.engine().inEventLoop()) {
			return;
		}
		long deadline = System.nanoTime() + this.server.settings().writeTimeout().toNanos();
		synchronized (this.monitor) {
			while (this.channel.isActive() && !this.channel.isWritable()) {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					break;
				}
				try {
					TimeUnit.NANOSECONDS.timedWait(this.monitor, left);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new IpcConnectionClosedException(this.id,
							"interrupted while waiting to write to " + this.peer);
				}
			}
		}
		if (!this.channel.isActive() || !this.channel.isWritable()) {
			checkWriteProgress();
			throw closed();
		}
	}

	private IpcConnectionClosedException closed() {
		return new IpcConnectionClosedException(this.id,
				"connection " + this.id + " to " + this.peer + " of server '" + this.server.name() + "' is closed");
	}

	@Override
	public void fail(Throwable error) {
		this.metrics.connectionFailed("listener-failed");
		report("listener-failed", "listener failed: " + error, error, false);
		close();
	}

	// --- closing

	@Override
	public void close() {
		this.closedByUs = true;
		this.channel.close();
	}

	/**
	 * Close after the output written so far has gone out.
	 */
	void closeAfterWrites() {
		this.closedByUs = true;
		// always through the event loop's queue: a reply a worker wrote just before is a
		// task queued there, and must go out first
		try {
			this.channel.eventLoop().execute(() -> {
				if (this.channel.isActive()) {
					this.channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
				}
			});
		}
		catch (RejectedExecutionException ex) {
			// the engine is shutting down, and closes its channels itself
			this.channel.close();
		}
	}

	private void closeWhenDone() {
		if ((this.inputEnded || this.stopping) && pendingFrames() == 0) {
			closeAfterWrites();
		}
	}

	/**
	 * The server is stopping: read nothing more, answer what was read, then close.
	 */
	void beginStop() {
		this.stopping = true;
		updateAutoRead();
		closeWhenDone();
	}

	io.netty.channel.ChannelFuture closeFuture() {
		return this.channel.closeFuture();
	}

	@Override
	public String toString() {
		return "IpcConnection[" + this.id + ", " + this.peer + "]";
	}

}
