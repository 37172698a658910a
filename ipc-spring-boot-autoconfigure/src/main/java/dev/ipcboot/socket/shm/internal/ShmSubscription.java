package dev.ipcboot.socket.shm.internal;

import dev.ipcboot.socket.shm.ShmClientSettings;

import java.io.IOException;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.support.GenericMessage;

import dev.ipcboot.listener.IpcHeaders;
import dev.ipcboot.socket.SocketHeaders;
import dev.ipcboot.listener.IpcMessageListener;
import dev.ipcboot.listener.IpcReplyTarget;

/**
 * The connection of a subscribing {@code transport: shm} client
 * ({@code subscribe: true}): one thread ({@code ipc-client-<name>-subscription}) that
 * waits on the server-to-client ring and hands each push to the listener, in order; a
 * value the listener returns goes back on the same connection. When the connection is
 * lost it connects again after {@code reconnect-delay}, doubling up to
 * {@code reconnect-max-delay}.
 */
final class ShmSubscription implements Runnable {

	private static final Log logger = LogFactory.getLog(ShmSubscription.class);

	private final ShmClientSettings settings;

	private final IpcMessageListener listener;

	private final Thread thread;

	private final Object lock = new Object();

	private volatile boolean closed;

	private volatile ShmHandshake.@Nullable Connected connection;

	private int connections;

	ShmSubscription(ShmClientSettings settings, IpcMessageListener listener) {
		this.settings = settings;
		this.listener = listener;
		this.thread = new Thread(this, "ipc-client-" + settings.name() + "-subscription");
		this.thread.setDaemon(true);
	}

	void start() {
		this.thread.start();
	}

	boolean isConnected() {
		ShmHandshake.Connected current = this.connection;
		return current != null && current.duplex().isOpen();
	}

	@Override
	public void run() {
		long delay = this.settings.reconnectDelay().toMillis();
		while (!this.closed) {
			ShmHandshake.Connected current;
			try {
				current = ShmHandshake.connect(this.settings.name(), this.settings.path(), this.settings.spin(),
						(int) this.settings.connectTimeout().toMillis());
			}
			catch (IOException | RuntimeException ex) {
				logger.debug("Client '" + this.settings.name() + "' could not subscribe to " + this.settings.path()
						+ ": " + ex.getMessage());
				pause(delay);
				delay = Math.min(delay * 2, this.settings.reconnectMaxDelay().toMillis());
				continue;
			}
			delay = this.settings.reconnectDelay().toMillis();
			this.connection = current;
			try {
				if (!this.closed) {
					deliver(current);
				}
			}
			finally {
				this.connection = null;
				current.close();
			}
		}
	}

	private void deliver(ShmHandshake.Connected current) {
		String id = this.settings.name() + "-subscription-" + (++this.connections);
		MessageHeaders headers = new MessageHeaders(
				Map.of(IpcHeaders.CHANNEL, this.settings.name(), SocketHeaders.CONNECTION_ID, id));
		IpcReplyTarget replies = new IpcReplyTarget() {

			@Override
			public void reply(byte[] payload) {
				current.duplex().send(payload, ShmSubscription.this.settings.requestTimeout().toNanos());
			}

			@Override
			public void fail(Throwable error) {
				// the listener logged it; the subscription goes on with the next push
			}

			@Override
			public String describePeer() {
				return ShmSubscription.this.settings.path().toString();
			}

		};
		try {
			while (!this.closed) {
				byte[] push = current.duplex().receive(-1);
				if (push != null && !this.closed) {
					this.listener.onMessage(new GenericMessage<>(push, headers), replies);
				}
			}
		}
		catch (ShmClosedException ex) {
			if (!this.closed) {
				logger.info("Client '" + this.settings.name() + "' lost its subscription to " + this.settings.path()
						+ "; connecting again");
			}
		}
		catch (ShmCorruptException | ShmTimeoutException ex) {
			logger.warn("Client '" + this.settings.name() + "' closed its subscription to " + this.settings.path()
					+ ": " + ex.getMessage());
		}
	}

	private void pause(long millis) {
		synchronized (this.lock) {
			try {
				if (!this.closed) {
					this.lock.wait(Math.max(1, millis));
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				this.closed = true;
			}
		}
	}

	/** End the subscription and wait for its thread, which releases the memory. */
	void close() {
		this.closed = true;
		synchronized (this.lock) {
			this.lock.notifyAll();
		}
		ShmHandshake.Connected current = this.connection;
		if (current != null) {
			try {
				current.socket().shutdownInput();
			}
			catch (IOException ex) {
				// already closed: the thread leaves on its own
			}
			current.duplex().wakeUp();
		}
		try {
			this.thread.join(10_000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
