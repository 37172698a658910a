package dev.ipcboot.socket;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.integration.ip.tcp.connection.TcpListener;
import org.springframework.integration.ip.tcp.connection.TcpNetConnection;
import org.springframework.integration.ip.tcp.serializer.SoftEndOfStreamException;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.support.ErrorMessage;

import dev.ipcboot.IpcChannelMetrics;
import dev.ipcboot.listener.IpcHeaders;
import dev.ipcboot.listener.IpcReplyTarget;

/**
 * One accepted connection of a {@link SocketServer}. Spring Integration's read loop runs
 * on the connection's own thread and hands each frame, through
 * {@link ServerMessageMapper}, to the server's listener on that same thread; the
 * connection is also the listener's {@link IpcReplyTarget}, so a reply is written without
 * a hand-off and a failure closes exactly this connection.
 */
final class ServerConnection extends TcpNetConnection implements IpcReplyTarget {

	private static final int BUFFER_SIZE = 8192;

	private final Socket socket;

	private final SocketServer server;

	private final FrameCodec codec;

	private final IpcChannelMetrics metrics;

	private final Lock writeLock = new ReentrantLock();

	private final TcpListener dispatcher = (message) -> dispatch(message);

	private @Nullable InputStream input;

	private @Nullable OutputStream output;

	private @Nullable BorrowedFrameReader borrowedFrames;

	private MessageHeaders headers = ConnectionHeaders.NONE;

	private final String connectionId;

	private String peer;

	private volatile boolean closedByUs;

	private volatile boolean admitted;

	ServerConnection(Socket socket, SocketServer server, FrameCodec codec, ApplicationEventPublisher publisher) {
		super(socket, true, false, publisher, server.name());
		this.socket = socket;
		this.server = server;
		this.codec = codec;
		this.metrics = server.metrics();
		this.peer = String.valueOf(socket.getRemoteSocketAddress());
		String id = super.getConnectionId();
		// Spring Integration names connections host:port:port:uuid, meaningless for a
		// Unix socket
		this.connectionId = (server.settings().binding() instanceof ServerBinding.Local)
				? server.name() + ":" + id.substring(id.lastIndexOf(':') + 1) : id;
	}

	@Override
	public String getConnectionId() {
		return (this.connectionId != null) ? this.connectionId : super.getConnectionId();
	}

	@Override
	public void run() {
		String refusal;
		try {
			refusal = identifyPeer();
		}
		catch (IOException ex) {
			this.metrics.connectionFailed("peer-rejected");
			refuse("could not read the peer's credentials: " + ex.getMessage(), ex);
			return;
		}
		if (refusal != null) {
			this.metrics.connectionFailed("peer-rejected");
		}
		else {
			refusal = this.server.connectionLimit().admit();
		}
		if (refusal != null) {
			refuse(refusal, null);
			return;
		}
		this.admitted = true;
		this.metrics.connectionOpened();
		super.run();
	}

	private @Nullable String identifyPeer() throws IOException {
		Map<String, Object> map = new HashMap<>();
		map.put(IpcHeaders.CHANNEL, this.server.name());
		map.put(IpcHeaders.CONNECTION_ID, getConnectionId());
		String refusal = null;
		if (this.server.settings().binding() instanceof ServerBinding.Local local) {
			PeerCredentials credentials = PeerCredentials.of(this.socket);
			map.put(IpcHeaders.PEER_PID, credentials.pid());
			map.put(IpcHeaders.PEER_UID, credentials.uid());
			map.put(IpcHeaders.PEER_GID, credentials.gid());
			this.peer = credentials.toString();
			if (!local.allowedUids().isEmpty() && !local.allowedUids().contains(credentials.uid())) {
				refusal = "peer uid " + credentials.uid() + " is not in allowed-uids " + local.allowedUids();
			}
		}
		else {
			SocketAddress remote = this.socket.getRemoteSocketAddress();
			this.peer = (remote instanceof InetSocketAddress inet)
					? inet.getAddress().getHostAddress() + ":" + inet.getPort() : String.valueOf(remote);
			map.put(IpcHeaders.REMOTE_ADDRESS, this.peer);
		}
		this.headers = new ConnectionHeaders(map);
		return refusal;
	}

	private void refuse(String reason, @Nullable Throwable cause) {
		this.server.connectionFailed(this, reason, cause);
		closeQuietly();
	}

	/**
	 * The headers of every message of this connection: one immutable instance, so that a
	 * message costs no header map of its own.
	 */
	MessageHeaders headers() {
		return this.headers;
	}

	@Override
	public String describePeer() {
		return this.peer;
	}

	boolean isClosedByUs() {
		return this.closedByUs;
	}

	@Override
	public TcpListener getListener() {
		return this.dispatcher;
	}

	/**
	 * The next frame: a {@code byte[]} of its own, through the codec, or a view of this
	 * connection's reused buffer when the server's listener borrows its payload. Errors
	 * take the same form as Spring Integration's, so its read loop handles both alike.
	 */
	@Override
	public Object getPayload() {
		if (!this.server.lendsPayload()) {
			return super.getPayload();
		}
		ConnectionInputStream in;
		try {
			in = (ConnectionInputStream) inputStream();
		}
		catch (IOException ex) {
			throw new SoftEndOfStreamException("Socket closed when getting input stream", ex);
		}
		try {
			return borrowedFrames().read(in);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private BorrowedFrameReader borrowedFrames() throws IOException {
		BorrowedFrameReader reader = this.borrowedFrames;
		if (reader == null) {
			// junixsocket's channel reads into a direct buffer with one copy; a socket
			// without one (plain TCP, TLS) fills a heap buffer through its stream
			reader = new BorrowedFrameReader(this.codec, this.socket.getChannel(), this.socket.getSoTimeout());
			this.borrowedFrames = reader;
		}
		return reader;
	}

	private void dispatch(Message<?> message) {
		// Spring Integration also hands read errors to the listener; they are events here
		if (!(message instanceof ErrorMessage)) {
			Object payload = message.getPayload();
			this.metrics.messageReceived((payload instanceof byte[] bytes) ? bytes.length
					: (payload instanceof ByteBuffer buffer) ? buffer.remaining() : 0);
			this.server.dispatch(message, this);
		}
	}

	@Override
	protected InputStream inputStream() throws IOException {
		InputStream in = this.input;
		if (in == null) {
			// delimited framings (and length headers) read a byte at a time: never one
			// system call, nor one lock, per byte
			in = new ConnectionInputStream(this.socket.getInputStream(), BUFFER_SIZE);
			this.input = in;
		}
		return in;
	}

	/**
	 * A failed read ends this connection. Spring Integration would log it at ERROR, but
	 * bad input from a peer (a corrupt or oversized frame, a peer gone mid-frame) is not
	 * the application's failure: it is already a {@link SocketConnectionFailedEvent} and
	 * a counted failure, so it is logged once at WARN, naming the server, the peer and
	 * the reason. An idle timeout the server was configured with, a connection we closed
	 * and a peer that left between frames are logged at DEBUG only.
	 */
	@Override
	protected boolean handleReadException(Exception failure) {
		// the payload reads wrap their IOExceptions, as Spring Integration's own do
		Exception ex = (failure instanceof UncheckedIOException unchecked) ? unchecked.getCause() : failure;
		boolean ours = this.closedByUs || isNoReadErrorOnClose();
		closeConnection(true);
		if (ex instanceof SoftEndOfStreamException) {
			return true;
		}
		String message = "Socket server '" + this.server.name() + "' closed the connection from " + this.peer + ": "
				+ ex.getMessage();
		if (ours || ex instanceof SocketTimeoutException) {
			if (logger.isDebugEnabled()) {
				logger.debug(message, ex);
			}
		}
		else {
			logger.warn(message);
		}
		return true;
	}

	@Override
	public void reply(byte[] payload) {
		this.writeLock.lock();
		try {
			OutputStream out = this.output;
			if (out == null) {
				out = new BufferedOutputStream(this.socket.getOutputStream(), BUFFER_SIZE);
				this.output = out;
			}
			this.codec.serialize(payload, out);
			out.flush();
			this.metrics.messageSent(payload.length);
		}
		catch (IOException ex) {
			if (!this.closedByUs) {
				this.metrics.connectionFailed("write-failed");
				this.server.connectionFailed(this, "could not write a reply: " + ex.getMessage(), ex);
				closeQuietly();
			}
		}
		finally {
			this.writeLock.unlock();
		}
	}

	@Override
	public void fail(Throwable error) {
		this.metrics.connectionFailed("listener-failed");
		this.server.connectionFailed(this, "listener failed: " + error, error);
		closeQuietly();
	}

	private void closeQuietly() {
		this.closedByUs = true;
		close();
	}

	@Override
	public void close() {
		this.closedByUs = true;
		boolean wasAdmitted = this.admitted;
		this.admitted = false;
		super.close();
		if (wasAdmitted) {
			this.metrics.connectionClosed();
			this.server.connectionLimit().release();
		}
	}

}
