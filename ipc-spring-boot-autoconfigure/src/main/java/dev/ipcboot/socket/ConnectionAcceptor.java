package dev.ipcboot.socket;

import java.io.IOException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * The accepting side of a started {@link SocketServer}: its bound socket, Spring
 * Integration's connection factory over that socket, and the pool of named threads on
 * which each connection is read and the listener called. It lives from a successful bind
 * until {@link #stop()}, which undoes all three.
 */
final class ConnectionAcceptor {

	// the server's category, so that the logging users configure for it still applies
	private static final Log logger = LogFactory.getLog(SocketServer.class);

	private static final long STOP_TIMEOUT_SECONDS = 5;

	private final String serverName;

	private final BoundServerSocket bound;

	private final ThreadPoolExecutor pool;

	private final ServerConnectionFactory factory;

	/**
	 * Prepare to accept on a bound socket; nothing is accepted before {@link #start()}.
	 * @param server the server whose connections these are
	 * @param bound the socket, which {@link #stop()} closes
	 * @param codec the server's framing
	 * @param threadPrefix prefix of the connection threads' names
	 */
	ConnectionAcceptor(SocketServer server, BoundServerSocket bound, FrameCodec codec, String threadPrefix) {
		this.serverName = server.name();
		this.bound = bound;
		CustomizableThreadFactory threads = new CustomizableThreadFactory(threadPrefix);
		// like a web server's, these threads keep an application with no other work
		// alive
		threads.setDaemon(false);
		this.pool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
				threads);
		this.factory = createConnectionFactory(server, codec);
	}

	private ServerConnectionFactory createConnectionFactory(SocketServer server, FrameCodec codec) {
		SocketServerSettings settings = server.settings();
		ServerConnectionFactory connectionFactory = new ServerConnectionFactory(this.bound.socket(),
				settings.binding().transport() == SocketTransport.TCP, (int) settings.idleTimeout().toMillis());
		connectionFactory.setBeanName(server.property());
		connectionFactory.setTaskExecutor(this.pool);
		connectionFactory.setSerializer(codec);
		connectionFactory.setDeserializer(codec);
		connectionFactory.setMapper(new ServerMessageMapper());
		connectionFactory.setApplicationEventPublisher(new ConnectionEventTranslator(server));
		connectionFactory.setTcpNetConnectionSupport((socket, isServer, lookupHost, eventPublisher,
				factoryName) -> new ServerConnection(socket, server, codec, eventPublisher));
		// each ServerConnection dispatches to the server's listener itself; the factory
		// only insists on having one
		connectionFactory.registerListener((message) -> {
		});
		return connectionFactory;
	}

	BoundServerSocket bound() {
		return this.bound;
	}

	/**
	 * Start the accept loop and wait until it has taken the socket: a stop before it has
	 * would leave that thread to accept on a socket nobody closes.
	 * @throws IllegalStateException if it does not start accepting in time
	 */
	void start() {
		this.factory.start();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STOP_TIMEOUT_SECONDS);
		while (!this.factory.isListening()) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("Socket server '" + this.serverName
						+ "' did not start accepting within " + STOP_TIMEOUT_SECONDS + "s");
			}
			LockSupport.parkNanos(100_000);
		}
	}

	boolean isAccepting() {
		return this.factory.isListening();
	}

	/**
	 * Stop accepting, close every connection, wait for their threads to end, then close
	 * the socket and undo its binding (a failure to remove a socket file is logged).
	 */
	void stop() {
		// the JDK lets an accept that was blocked when the socket closed still return a
		// connection; shutting down, Spring Integration's accept loop closes it instead
		// of serving it from a stopped server
		this.factory.beforeShutdown();
		this.factory.stop();
		awaitThreads();
		try {
			this.bound.socket().close();
			this.bound.cleanup().run();
		}
		catch (IOException ex) {
			logger.warn("Could not remove socket " + this.bound.address() + " of server '" + this.serverName + "'", ex);
		}
	}

	private void awaitThreads() {
		this.pool.shutdown();
		try {
			if (!this.pool.awaitTermination(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
				logger.warn("Listener calls of socket server '" + this.serverName + "' still running after "
						+ STOP_TIMEOUT_SECONDS + "s; interrupting them");
				this.pool.shutdownNow();
				this.pool.awaitTermination(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.pool.shutdownNow();
		}
	}

}
