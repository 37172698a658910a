package dev.ipcboot.socket.shm.internal;

import dev.ipcboot.socket.shm.ShmClientSettings;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.springframework.messaging.converter.MessageConverter;

import dev.ipcboot.IpcConfigurationException;
import dev.ipcboot.internal.IpcResource;
import dev.ipcboot.internal.IpcResourceState;
import dev.ipcboot.listener.IpcChannel;
import dev.ipcboot.listener.IpcHeaders;
import dev.ipcboot.socket.SocketHeaders;
import dev.ipcboot.listener.IpcMessageListener;
import dev.ipcboot.socket.internal.ClientPayloads;
import dev.ipcboot.socket.IpcClient;
import dev.ipcboot.socket.IpcClientException;
import dev.ipcboot.socket.IpcClientTimeoutException;

/**
 * An {@link IpcClient} with {@code transport: shm}: each request has a connection of its
 * own from a pool, writes into its client-to-server ring and waits for the reply in the
 * other, on the calling thread. No thread of its own.
 */
public final class ShmIpcClient implements IpcClient, IpcChannel, IpcResource, AutoCloseable {

	private final ShmClientSettings settings;

	private final ClientPayloads payloads;

	private final Executor asyncExecutor;

	private final Semaphore permits;

	private final ConcurrentLinkedDeque<ShmHandshake.Connected> idle = new ConcurrentLinkedDeque<>();

	private volatile boolean closed;

	private volatile @Nullable ShmSubscription subscription;

	/**
	 * Create a client; it connects on its first request.
	 * @param settings the settings
	 * @param converter converts payloads and replies that are not {@code byte[]} or
	 * {@code String}
	 * @param asyncExecutor where {@code requestAsync} runs
	 */
	public ShmIpcClient(ShmClientSettings settings, MessageConverter converter, Executor asyncExecutor) {
		this.settings = settings;
		this.payloads = new ClientPayloads(settings.name(), converter);
		this.asyncExecutor = asyncExecutor;
		this.permits = new Semaphore(settings.poolSize(), true);
	}

	@Override
	public String name() {
		return this.settings.name();
	}

	@Override
	public String kind() {
		return "shared-memory client";
	}

	@Override
	public String property() {
		return this.settings.property();
	}

	@Override
	public Set<String> headers() {
		return Set.of(IpcHeaders.CHANNEL, SocketHeaders.CONNECTION_ID);
	}

	/**
	 * Attach the listener of a subscribing client's pushes and open its subscription.
	 * @param listener the listener
	 * @throws IpcConfigurationException if the client does not subscribe or has a
	 * listener
	 */
	@Override
	public synchronized void addListener(IpcMessageListener listener) {
		if (!this.settings.subscribe()) {
			throw new IpcConfigurationException(this.settings.property() + ".subscribe",
					"client '" + name() + "' does not subscribe, so nothing reaches @IpcListener(\"" + name() + "\")",
					"Set subscribe: true to receive what the server pushes.");
		}
		if (this.subscription != null) {
			throw new IpcConfigurationException(this.settings.property(),
					"client '" + name() + "' already has a listener",
					"Keep one @IpcListener(\"" + name() + "\") method.");
		}
		ShmSubscription started = new ShmSubscription(this.settings, listener);
		this.subscription = started;
		started.start();
	}

	/**
	 * The client in health and the {@code ipc} endpoint: up with its idle connections; a
	 * subscribing client whose subscription is not connected is down.
	 * @return the state
	 */
	@Override
	public IpcResourceState state() {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("path", this.settings.path().toString());
		details.put("transport", "shm");
		details.put("idle-connections", this.idle.size());
		if (this.closed) {
			return IpcResourceState.down("closed", details);
		}
		if (this.subscription != null) {
			details.put("subscribed", isSubscribed());
			if (!isSubscribed()) {
				return IpcResourceState.down("subscription not connected", details);
			}
		}
		return IpcResourceState.up(details);
	}

	/**
	 * Whether the subscription's connection is open now.
	 * @return {@code false} without a subscription
	 */
	public boolean isSubscribed() {
		ShmSubscription current = this.subscription;
		return current != null && current.isConnected();
	}

	@Override
	public void send(Object payload) {
		exchange(this.payloads.toBytes(payload), false);
	}

	@Override
	public byte[] request(Object payload) {
		byte[] reply = exchange(this.payloads.toBytes(payload), true);
		return (reply != null) ? reply : new byte[0];
	}

	@Override
	public <T> T request(Object payload, Class<T> replyType) {
		return this.payloads.fromBytes(request(payload), replyType);
	}

	@Override
	public CompletableFuture<byte[]> requestAsync(Object payload) {
		return CompletableFuture.supplyAsync(() -> request(payload), this.asyncExecutor);
	}

	@Override
	public <T> CompletableFuture<T> requestAsync(Object payload, Class<T> replyType) {
		return CompletableFuture.supplyAsync(() -> request(payload, replyType), this.asyncExecutor);
	}

	private byte @Nullable [] exchange(byte[] request, boolean awaitReply) {
		long timeout = this.settings.requestTimeout().toNanos();
		long deadline = System.nanoTime() + timeout;
		try {
			if (!this.permits.tryAcquire(timeout, TimeUnit.NANOSECONDS)) {
				throw timeout("waiting for a free connection", null);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IpcClientException(name(), "Client '" + name() + "' was interrupted", ex);
		}
		try {
			for (int attempt = 1;; attempt++) {
				ShmHandshake.Connected connection = borrow();
				boolean written = false;
				try {
					connection.duplex().discardUnread();
					connection.duplex().send(request, Math.max(0, deadline - System.nanoTime()));
					written = true;
					byte[] reply = awaitReply ? connection.duplex().receive(Math.max(0, deadline - System.nanoTime()))
							: null;
					if (awaitReply && reply == null) {
						connection.close();
						throw timeout("waiting for the reply", null);
					}
					this.idle.push(connection);
					if (this.closed) {
						close();
					}
					return reply;
				}
				catch (IllegalArgumentException ex) {
					// over the server's max-message-size: nothing was written
					this.idle.push(connection);
					throw new IpcClientException(name(),
							"Client '" + name() + "' cannot send to " + this.settings.path() + ": " + ex.getMessage(),
							ex);
				}
				catch (ShmTimeoutException ex) {
					connection.close();
					throw timeout("waiting for the server to take the request", ex);
				}
				catch (ShmClosedException | ShmCorruptException ex) {
					connection.close();
					// a restarted server: the pooled connection was the old one's
					if (written || attempt >= 3) {
						throw new IpcClientException(name(), "Client '" + name() + "' lost its connection to "
								+ this.settings.path() + ": " + ex.getMessage(), ex);
					}
				}
			}
		}
		finally {
			this.permits.release();
		}
	}

	private ShmHandshake.Connected borrow() {
		for (ShmHandshake.Connected connection; (connection = this.idle.poll()) != null;) {
			if (connection.duplex().isOpen() && connection.socket().isConnected()) {
				return connection;
			}
			connection.close();
		}
		if (this.closed) {
			throw new IpcClientException(name(), "Client '" + name() + "' is closed");
		}
		try {
			return ShmHandshake.connect(name(), this.settings.path(), this.settings.spin(),
					(int) this.settings.connectTimeout().toMillis());
		}
		catch (IOException ex) {
			throw new IpcClientException(name(),
					"Client '" + name() + "' cannot connect to " + this.settings.path() + ": " + ex.getMessage(), ex);
		}
	}

	private IpcClientTimeoutException timeout(String what, @Nullable Throwable cause) {
		return new IpcClientTimeoutException(name(), "Client '" + name() + "' timed out " + what + " after "
				+ this.settings.requestTimeout() + " (" + this.settings.path() + ")", this.settings.requestTimeout(),
				cause);
	}

	/**
	 * Close the idle connections; requests in flight close theirs when they end.
	 */
	@Override
	public void close() {
		this.closed = true;
		ShmSubscription current = this.subscription;
		if (current != null) {
			current.close();
		}
		for (ShmHandshake.Connected connection; (connection = this.idle.poll()) != null;) {
			connection.close();
		}
	}

	@Override
	public String toString() {
		return "ShmIpcClient[" + name() + " to " + this.settings.path() + "]";
	}

}
