package dev.ipcboot.socket;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.messaging.Message;

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

	private final SocketServerSettings settings;

	private final ApplicationEventPublisher publisher;

	private final FrameCodec codec;

	private final IpcChannelMetrics metrics;

	private final ConnectionLimit connectionLimit;

	private final Object lifecycleMonitor = new Object();

	private volatile @Nullable IpcMessageListener listener;

	private volatile boolean lendsPayload;

	private volatile @Nullable ConnectionAcceptor acceptor;

	private final ServerHealth health;

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
		this.connectionLimit = new ConnectionLimit(settings.maxConnections(), this.metrics);
		this.health = new ServerHealth(settings);
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
		this.lendsPayload = listener.borrowsPayload() && this.settings.framing() == Framing.LENGTH_PREFIXED;
	}

	/**
	 * Bind and start accepting. Binding is synchronous, so an address in use or a socket
	 * path served by another process fails here.
	 * @throws IpcConfigurationException if the address cannot be used, naming it
	 * @throws UncheckedIOException if binding fails for another reason
	 */
	public void start() {
		synchronized (this.lifecycleMonitor) {
			if (this.acceptor != null) {
				return;
			}
			BoundServerSocket boundSocket;
			try {
				boundSocket = bind();
			}
			catch (RuntimeException ex) {
				this.health.failed("could not bind: " + ex.getMessage());
				throw ex;
			}
			ConnectionAcceptor accepting = new ConnectionAcceptor(this, boundSocket, this.codec,
					"ipc-" + transport() + "-" + name() + "-");
			this.acceptor = accepting;
			try {
				accepting.start();
			}
			catch (RuntimeException ex) {
				stop();
				this.health.failed("could not start accepting: " + ex.getMessage());
				throw ex;
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
		try {
			if (this.settings.binding() instanceof ServerBinding.Local local) {
				return LocalSocketBinder.bind(this.settings, local, BACKLOG);
			}
			return TcpSocketBinder.bind(this.settings, (ServerBinding.Tcp) this.settings.binding(), BACKLOG);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(
					"Could not bind socket server '" + name() + "' (" + property() + "): " + ex.getMessage(), ex);
		}
	}

	/**
	 * Stop accepting, close every connection, wait for their threads to end and remove
	 * the socket file of a local server.
	 */
	public void stop() {
		synchronized (this.lifecycleMonitor) {
			ConnectionAcceptor accepting = this.acceptor;
			if (accepting == null) {
				return;
			}
			accepting.stop();
			this.acceptor = null;
			this.health.stopped();
			this.publisher.publishEvent(new SocketServerStoppedEvent(this));
		}
	}

	/**
	 * Whether the server is listening.
	 * @return whether it was started and not stopped
	 */
	public boolean isRunning() {
		return this.acceptor != null;
	}

	/**
	 * Where the server listens.
	 * @return a socket path, {@code @name} for an abstract name, {@code host:port}, or
	 * {@code null} when not running
	 */
	public @Nullable String address() {
		ConnectionAcceptor accepting = this.acceptor;
		return (accepting != null) ? accepting.bound().address() : null;
	}

	/**
	 * The bound TCP port, useful with {@code port: 0}.
	 * @return the port, or {@code -1} for a local server or when not running
	 */
	public int port() {
		ConnectionAcceptor accepting = this.acceptor;
		return (accepting != null) ? accepting.bound().port() : -1;
	}

	/**
	 * How many connections are open and admitted.
	 * @return the count
	 */
	public int openConnections() {
		return this.connectionLimit.open();
	}

	/**
	 * Whether the server listens: UP with its address and open connections while it does,
	 * DOWN after a failed start or once stopped, UNKNOWN before it was started.
	 * @return the state
	 */
	@Override
	public IpcResourceState state() {
		return this.health.state(this.acceptor, this.connectionLimit.open());
	}

	IpcChannelMetrics metrics() {
		return this.metrics;
	}

	ConnectionLimit connectionLimit() {
		return this.connectionLimit;
	}

	/**
	 * Whether connections pass the listener a view of a buffer they reuse instead of a
	 * {@code byte[]} per frame: only when it borrows its payload and the framing is
	 * length-prefixed (the streaming framing). Delimited frames are already copied once
	 * out of the connection's buffer, so their {@code byte[]} is simply wrapped.
	 */
	boolean lendsPayload() {
		return this.lendsPayload;
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
