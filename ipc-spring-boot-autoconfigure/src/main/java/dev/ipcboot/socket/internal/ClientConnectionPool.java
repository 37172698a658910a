package dev.ipcboot.socket.internal;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Deque;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;

import dev.ipcboot.socket.ClientConnectionClosedEvent;
import dev.ipcboot.socket.ClientConnectionEvent;
import dev.ipcboot.socket.ClientConnectionFailedEvent;
import dev.ipcboot.socket.ClientConnectionOpenedEvent;
import dev.ipcboot.socket.IpcClientException;
import dev.ipcboot.socket.IpcClientSettings;
import dev.ipcboot.socket.IpcClientTimeoutException;

/**
 * The connections of one client. A request borrows a connection for itself until its
 * reply has arrived, because the framings carry no correlation id: that is what keeps
 * concurrent callers from reading each other's replies. At most {@code size} connections
 * are open; they are opened on demand and kept for the next request unless something went
 * wrong on them.
 */
final class ClientConnectionPool {

	private static final Log logger = LogFactory.getLog(ClientConnectionPool.class);

	private final IpcClientSettings settings;

	private final Object eventSource;

	private final ApplicationEventPublisher publisher;

	private final Semaphore permits;

	private final Deque<ClientConnection> idle = new ConcurrentLinkedDeque<>();

	/**
	 * The connection given back last, kept out of {@link #idle}: a client used by one
	 * thread at a time takes and gives back this one without a node of the deque per
	 * request. Borrowed before {@link #idle}, so the order stays last in, first out.
	 */
	private final AtomicReference<@Nullable ClientConnection> latest = new AtomicReference<>();

	private final Set<ClientConnection> open = ConcurrentHashMap.newKeySet();

	private volatile boolean closed;

	ClientConnectionPool(IpcClientSettings settings, Object eventSource, ApplicationEventPublisher publisher) {
		this.settings = settings;
		this.eventSource = eventSource;
		this.publisher = publisher;
		this.permits = new Semaphore(settings.poolSize());
	}

	/**
	 * Borrow a connection: an idle one, or a new one when none is idle.
	 * @param deadline {@link System#nanoTime()} by which a busy pool must have a free
	 * connection
	 */
	ClientConnection borrow(long deadline) {
		acquirePermit(deadline);
		try {
			ClientConnection connection = this.latest.getAndSet(null);
			if (connection == null) {
				connection = this.idle.pollFirst();
			}
			if (connection != null) {
				connection.markReused();
				return connection;
			}
			return connect();
		}
		catch (RuntimeException ex) {
			this.permits.release();
			throw ex;
		}
	}

	/** How many connections are open, idle or borrowed. */
	int openConnections() {
		return this.open.size();
	}

	/** Give back a connection that is in a clean state: its reply was read in full. */
	void giveBack(ClientConnection connection) {
		if (this.closed || connection.isWriteCut()) {
			close(connection);
		}
		else {
			ClientConnection previous = this.latest.getAndSet(connection);
			if (previous != null) {
				this.idle.offerFirst(previous);
			}
			if (this.closed) {
				// close() may have run between the check above and the slot
				closeIdle();
			}
		}
		this.permits.release();
	}

	/**
	 * Close a connection that must not be used again (timed out, failed, or single-use).
	 */
	void discard(ClientConnection connection, @Nullable Throwable failure) {
		try {
			if (failure != null && !this.closed) {
				publish(new ClientConnectionFailedEvent(this.eventSource, this.settings.name(),
						this.settings.endpoint().describe(), failure));
			}
			close(connection);
		}
		finally {
			this.permits.release();
		}
	}

	/**
	 * Close the idle connections: one of them turned out to be closed by the server, so
	 * the others, opened to the same server, are most likely closed as well.
	 */
	void closeIdle() {
		ClientConnection latest = this.latest.getAndSet(null);
		if (latest != null) {
			close(latest);
		}
		ClientConnection connection = this.idle.pollFirst();
		while (connection != null) {
			close(connection);
			connection = this.idle.pollFirst();
		}
	}

	/**
	 * Cut the writes that are past their deadline.
	 * @param now {@link System#nanoTime()}
	 * @return whether a write is in progress on one of the connections
	 */
	boolean expireStalledWrites(long now) {
		boolean writing = false;
		for (ClientConnection connection : this.open) {
			writing |= connection.cutWriteIfLate(now);
		}
		return writing;
	}

	boolean isClosed() {
		return this.closed;
	}

	/** Close every connection, idle or in use; requests in flight fail. */
	void close() {
		this.closed = true;
		for (ClientConnection connection : this.open) {
			close(connection);
		}
		this.idle.clear();
		this.latest.set(null);
	}

	private void acquirePermit(long deadline) {
		try {
			if (!this.permits.tryAcquire()
					&& !this.permits.tryAcquire(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
				Duration timeout = this.settings.requestTimeout();
				throw new IpcClientTimeoutException(this.settings.name(),
						"All " + this.settings.poolSize() + " connections of client '" + this.settings.name() + "' to "
								+ this.settings.endpoint().describe() + " stayed busy for the request timeout of "
								+ Durations.format(timeout) + "; raise ipc.clients." + this.settings.name()
								+ ".pool-size or the request timeout",
						timeout, new SocketTimeoutException("no free connection"));
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IpcClientException(this.settings.name(),
					"Interrupted while client '" + this.settings.name() + "' waited for a free connection", ex);
		}
	}

	private ClientConnection connect() {
		if (this.closed) {
			throw new IpcClientException(this.settings.name(), "Client '" + this.settings.name() + "' is closed");
		}
		String address = this.settings.endpoint().describe();
		Socket socket = null;
		try {
			socket = this.settings.endpoint().connect(this.settings.connectTimeout());
			socket.setSoTimeout(Durations.millis(this.settings.requestTimeout()));
			ClientConnection connection = new ClientConnection(socket);
			this.open.add(connection);
			if (this.closed) {
				close(connection);
				throw new IpcClientException(this.settings.name(), "Client '" + this.settings.name() + "' is closed");
			}
			publish(new ClientConnectionOpenedEvent(this.eventSource, this.settings.name(), address));
			return connection;
		}
		catch (IOException ex) {
			closeQuietly(socket, ex);
			publish(new ClientConnectionFailedEvent(this.eventSource, this.settings.name(), address, ex));
			throw new IpcClientException(this.settings.name(),
					"Client '" + this.settings.name() + "' could not connect to " + address + " within "
							+ Durations.format(this.settings.connectTimeout()) + ": " + ex.getMessage()
							+ "; start the server or correct ipc.clients." + this.settings.name(),
					ex);
		}
	}

	private void close(ClientConnection connection) {
		if (!this.open.remove(connection)) {
			return;
		}
		try {
			// the server should see a clean end-of-stream: a close with unread input
			// (a reply to send() that nobody reads) would reset the connection instead
			connection.discardAvailableInput();
			if (!connection.socket().isOutputShutdown()) {
				connection.socket().shutdownOutput();
			}
		}
		catch (IOException | UnsupportedOperationException ex) {
			logger.trace("Could not end the stream of a connection of client '" + this.settings.name() + "'", ex);
		}
		try {
			connection.close();
		}
		catch (IOException ex) {
			logger.debug("Closing a connection of client '" + this.settings.name() + "' failed", ex);
		}
		publish(new ClientConnectionClosedEvent(this.eventSource, this.settings.name(),
				this.settings.endpoint().describe()));
	}

	private void publish(ClientConnectionEvent event) {
		try {
			this.publisher.publishEvent(event);
		}
		catch (RuntimeException ex) {
			// a closing application context may refuse events; the connection is closed
			// regardless
			logger.debug("Could not publish " + event, ex);
		}
	}

	private static void closeQuietly(@Nullable Socket socket, IOException failure) {
		if (socket != null) {
			try {
				socket.close();
			}
			catch (IOException ex) {
				failure.addSuppressed(ex);
			}
		}
	}

}
