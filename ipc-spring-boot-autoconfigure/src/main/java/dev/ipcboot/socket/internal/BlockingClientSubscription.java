package dev.ipcboot.socket.internal;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.integration.ip.tcp.serializer.SoftEndOfStreamException;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.support.GenericMessage;

import dev.ipcboot.listener.IpcHeaders;
import dev.ipcboot.listener.IpcMessageListener;
import dev.ipcboot.listener.IpcReplyTarget;
import dev.ipcboot.socket.IpcClientSettings;
import dev.ipcboot.socket.SocketHeaders;

/**
 * The fallback {@link ClientSubscription} for an endpoint the {@link SocketEngine} cannot
 * reach (an abstract name without epoll, an endpoint of the application's own making) or
 * a client made without an engine: what the server pushes goes to the client's
 * {@code @IpcListener}, in order, on the subscription's own blocking thread
 * ({@code ipc-client-<name>-subscription}); a reply the listener returns is written back
 * on the same connection. A lost connection (the server restarted) is connected again
 * after a delay that doubles from {@code reconnect-delay} up to
 * {@code reconnect-max-delay}.
 */
final class BlockingClientSubscription implements ClientSubscription {

	private static final Log logger = LogFactory.getLog(SocketIpcClient.class);

	private static final int BUFFER_SIZE = 8192;

	private final IpcClientSettings settings;

	private final IpcClientSettings.Subscription subscription;

	private final FrameCodec codec;

	private final IpcMessageListener listener;

	private final Object monitor = new Object();

	private final Thread thread;

	private volatile boolean running = true;

	private volatile boolean connected;

	private volatile boolean paused;

	private volatile @Nullable Socket socket;

	BlockingClientSubscription(IpcClientSettings settings, IpcClientSettings.Subscription subscription,
			FrameCodec codec, IpcMessageListener listener) {
		this.settings = settings;
		this.subscription = subscription;
		this.codec = codec;
		this.listener = listener;
		this.thread = new Thread(this::run, "ipc-client-" + settings.name() + "-subscription");
		this.thread.setDaemon(true);
	}

	@Override
	public void start() {
		this.thread.start();
	}

	@Override
	public boolean isConnected() {
		return this.connected;
	}

	private void run() {
		long delay = this.subscription.reconnectDelay().toNanos();
		while (this.running) {
			try (Socket connection = this.settings.endpoint().connect(this.settings.connectTimeout())) {
				this.socket = connection;
				if (!this.running) {
					return;
				}
				this.connected = true;
				delay = this.subscription.reconnectDelay().toNanos();
				logger
					.info("Client '" + this.settings.name() + "' subscribed to " + this.settings.endpoint().describe());
				receive(connection);
			}
			catch (SoftEndOfStreamException ex) {
				logger.info("Client '" + this.settings.name() + "': the server closed the subscription; connecting"
						+ " again");
			}
			catch (IOException | RuntimeException ex) {
				if (this.running) {
					logger.debug("Client '" + this.settings.name() + "' lost or could not open its subscription to "
							+ this.settings.endpoint().describe() + ": " + ex.getMessage());
				}
			}
			finally {
				this.connected = false;
				this.socket = null;
			}
			if (!this.running) {
				return;
			}
			synchronized (this.monitor) {
				try {
					TimeUnit.NANOSECONDS.timedWait(this.monitor, delay);
				}
				catch (InterruptedException ex) {
					return;
				}
			}
			delay = Math.min(delay * 2, this.subscription.reconnectMaxDelay().toNanos());
		}
	}

	private void receive(Socket connection) throws IOException {
		InputStream in = new ConnectionInputStream(connection.getInputStream(), BUFFER_SIZE);
		OutputStream out = new BufferedOutputStream(connection.getOutputStream(), BUFFER_SIZE);
		String id = this.settings.name() + ":" + UUID.randomUUID();
		Map<String, Object> map = new HashMap<>();
		map.put(IpcHeaders.CHANNEL, this.settings.name());
		map.put(SocketHeaders.CONNECTION_ID, id);
		MessageHeaders headers = new ConnectionHeaders(map);
		IpcReplyTarget target = new IpcReplyTarget() {

			@Override
			public void reply(byte[] payload) {
				synchronized (out) {
					try {
						BlockingClientSubscription.this.codec.serialize(payload, out);
						out.flush();
					}
					catch (IOException ex) {
						logger.debug("Client '" + BlockingClientSubscription.this.settings.name()
								+ "' could not answer a push: " + ex.getMessage());
						closeQuietly(connection);
					}
				}
			}

			@Override
			public void fail(Throwable error) {
				closeQuietly(connection);
			}

			@Override
			public String describePeer() {
				return BlockingClientSubscription.this.settings.endpoint().describe();
			}

		};
		while (this.running) {
			awaitResumed();
			byte[] frame = this.codec.deserialize(in);
			this.listener.onMessage(new GenericMessage<>(frame, headers), target);
		}
	}

	private static void closeQuietly(Socket connection) {
		try {
			connection.close();
		}
		catch (IOException ex) {
			// closing is all we wanted; the read loop sees the end of the stream
		}
	}

	@Override
	public boolean pause() {
		this.paused = true;
		return true;
	}

	@Override
	public void resume() {
		synchronized (this.monitor) {
			this.paused = false;
			this.monitor.notifyAll();
		}
	}

	private void awaitResumed() throws IOException {
		synchronized (this.monitor) {
			while (this.paused && this.running) {
				try {
					this.monitor.wait();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new IOException("interrupted while paused", ex);
				}
			}
		}
	}

	@Override
	public void close() {
		this.running = false;
		Socket connection = this.socket;
		if (connection != null) {
			closeQuietly(connection);
		}
		synchronized (this.monitor) {
			this.monitor.notifyAll();
		}
		try {
			this.thread.join(Duration.ofSeconds(5).toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
