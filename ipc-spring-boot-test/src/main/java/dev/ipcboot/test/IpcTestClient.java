package dev.ipcboot.test;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

import org.springframework.context.ApplicationContext;
import org.springframework.integration.ip.tcp.serializer.SoftEndOfStreamException;
import org.springframework.messaging.Message;
import org.springframework.messaging.converter.ByteArrayMessageConverter;
import org.springframework.messaging.converter.CompositeMessageConverter;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.converter.StringMessageConverter;
import org.springframework.messaging.support.MessageBuilder;

import dev.ipcboot.socket.internal.FrameCodec;
import dev.ipcboot.socket.Framing;
import dev.ipcboot.socket.IpcServer;
import dev.ipcboot.socket.ServerBinding;
import dev.ipcboot.socket.internal.SocketServer;

/**
 * A peer of one of the application's socket channels for tests: it connects as any client
 * would, over the channel's transport (local or TCP) and framing, sends and requests, and
 * receives what the channel sends back or pushes. Payloads are converted as the
 * application converts them ({@code byte[]} as is, {@code String} as UTF-8, anything else
 * with the application's message converter, JSON with Jackson).
 * <p>
 * A request is a send followed by {@link #receive()}: on a channel that also pushes, the
 * next message may be a push. Waiting gives up after the timeout (5 seconds unless
 * {@link #withTimeout changed}) with an {@link AssertionError} naming the channel. TLS
 * channels are not supported: test them with an {@code IpcClient} that trusts the server.
 */
public final class IpcTestClient implements AutoCloseable {

	private static final Object CLOSED = new Object();

	private final String channel;

	private final Framing framing;

	private final FrameCodec codec;

	private final MessageConverter converter;

	private final Socket socket;

	private final OutputStream out;

	private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();

	private final Thread reader;

	private volatile Duration timeout = Duration.ofSeconds(5);

	private volatile @Nullable Exception readFailure;

	private IpcTestClient(String channel, Socket socket, Framing framing, int maxMessageSize,
			MessageConverter converter) throws IOException {
		this.channel = channel;
		this.socket = socket;
		this.framing = framing;
		this.codec = new FrameCodec(framing, maxMessageSize);
		this.converter = converter;
		this.out = socket.getOutputStream();
		InputStream in = new BufferedInputStream(socket.getInputStream());
		this.reader = new Thread(() -> read(in), "ipc-test-client-" + channel);
		this.reader.setDaemon(true);
		this.reader.start();
	}

	/**
	 * Connect to a running server channel of an application, found by its name in
	 * {@code ipc.servers}.
	 * @param context the application
	 * @param channel the server's name
	 * @return the connected client
	 * @throws IllegalArgumentException if there is no such server, or it is not running
	 * @throws UnsupportedOperationException if the channel uses TLS
	 * @throws UncheckedIOException if connecting fails
	 */
	public static IpcTestClient connect(ApplicationContext context, String channel) {
		String beanName = "ipc.servers." + channel;
		if (!context.containsBean(beanName) || !(context.getBean(beanName, IpcServer.class) instanceof SocketServer)) {
			throw new IllegalArgumentException("No socket server channel '" + channel + "' in the application; the"
					+ " channels are the ipc.servers entries: "
					+ List.of(context.getBeanNamesForType(IpcServer.class)));
		}
		SocketServer server = context.getBean(beanName, SocketServer.class);
		String address = server.address();
		if (address == null) {
			throw new IllegalArgumentException("Socket server '" + channel + "' is not running");
		}
		Framing framing = server.settings().framing();
		int maxMessageSize = server.settings().maxMessageSize();
		MessageConverter converter = converter(context);
		if (server.settings().binding() instanceof ServerBinding.Tcp tcp) {
			if (tcp.sslContext() != null) {
				throw new UnsupportedOperationException("Socket server '" + channel + "' uses TLS, which IpcTestClient"
						+ " does not speak; test it with an IpcClient whose trust store has the server's certificate");
			}
			String host = (tcp.host().isEmpty() || tcp.host().equals("0.0.0.0")) ? "127.0.0.1" : tcp.host();
			return tcp(channel, host, server.port(), framing, maxMessageSize, converter);
		}
		return local(channel, address, framing, maxMessageSize, converter);
	}

	/**
	 * Connect to a local socket.
	 * @param path the socket file
	 * @param framing the server's framing
	 * @return the connected client, converting {@code byte[]} and {@code String} only
	 */
	public static IpcTestClient local(Path path, Framing framing) {
		return local(path.toString(), path.toString(), framing, Integer.MAX_VALUE - 8, basicConverter());
	}

	/**
	 * Connect to a TCP socket.
	 * @param host the host
	 * @param port the port
	 * @param framing the server's framing
	 * @return the connected client, converting {@code byte[]} and {@code String} only
	 */
	public static IpcTestClient tcp(String host, int port, Framing framing) {
		return tcp(host + ":" + port, host, port, framing, Integer.MAX_VALUE - 8, basicConverter());
	}

	private static IpcTestClient local(String channel, String address, Framing framing, int maxMessageSize,
			MessageConverter converter) {
		try {
			AFUNIXSocketAddress target = address.startsWith("@")
					? AFUNIXSocketAddress.inAbstractNamespace(address.substring(1))
					: AFUNIXSocketAddress.of(Path.of(address));
			return new IpcTestClient(channel, AFUNIXSocket.connectTo(target), framing, maxMessageSize, converter);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot connect to channel '" + channel + "' at " + address, ex);
		}
	}

	private static IpcTestClient tcp(String channel, String host, int port, Framing framing, int maxMessageSize,
			MessageConverter converter) {
		try {
			Socket socket = new Socket();
			socket.connect(new InetSocketAddress(host, port), 10_000);
			return new IpcTestClient(channel, socket, framing, maxMessageSize, converter);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot connect to channel '" + channel + "' at " + host + ":" + port, ex);
		}
	}

	private static MessageConverter converter(ApplicationContext context) {
		if (context.containsBean("ipcMessageConverter")) {
			return context.getBean("ipcMessageConverter", MessageConverter.class);
		}
		return basicConverter();
	}

	private static MessageConverter basicConverter() {
		return new CompositeMessageConverter(
				List.of(new ByteArrayMessageConverter(), new StringMessageConverter(StandardCharsets.UTF_8)));
	}

	/**
	 * The same client, waiting at most the given time in {@link #receive()} and
	 * {@link #request}.
	 * @param timeout the longest wait
	 * @return this client
	 */
	public IpcTestClient withTimeout(Duration timeout) {
		this.timeout = timeout;
		return this;
	}

	/**
	 * Send a message, framed as the channel frames them. With {@code raw} framing the
	 * message ends the output (the connection is half-closed).
	 * @param payload {@code byte[]}, {@code String} or an object the converter writes
	 * @throws UncheckedIOException if the connection is closed
	 */
	public void send(Object payload) {
		byte[] bytes = toBytes(payload);
		try {
			synchronized (this.out) {
				this.codec.serialize(bytes, this.out);
				this.out.flush();
				if (this.framing == Framing.RAW) {
					this.socket.shutdownOutput();
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot send on channel '" + this.channel + "'", ex);
		}
	}

	/**
	 * Send bytes as they are, without framing: for tests of bad input.
	 * @param bytes the bytes
	 * @throws UncheckedIOException if the connection is closed
	 */
	public void sendUnframed(byte[] bytes) {
		try {
			synchronized (this.out) {
				this.out.write(bytes);
				this.out.flush();
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot send on channel '" + this.channel + "'", ex);
		}
	}

	/**
	 * Send a message and receive the next one.
	 * @param payload what to send
	 * @return the next message's bytes
	 */
	public byte[] request(Object payload) {
		send(payload);
		return receive();
	}

	/**
	 * Send a message and receive the next one as a type.
	 * @param <T> the type
	 * @param payload what to send
	 * @param type {@code byte[]}, {@code String} or a type the converter reads
	 * @return the reply
	 */
	public <T> T request(Object payload, Class<T> type) {
		send(payload);
		return receive(type);
	}

	/**
	 * The next message the channel sent: a reply or a push.
	 * @return its bytes
	 * @throws AssertionError if none comes within the timeout, or the channel closed the
	 * connection
	 */
	public byte[] receive() {
		Object next;
		try {
			next = this.received.poll(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("Interrupted while waiting for a message on channel '" + this.channel + "'");
		}
		if (next == null) {
			throw new AssertionError("No message on channel '" + this.channel + "' within " + this.timeout);
		}
		if (next == CLOSED) {
			this.received.add(CLOSED);
			Exception failure = this.readFailure;
			throw new AssertionError(
					"Channel '" + this.channel + "' closed the connection" + ((failure != null) ? ": " + failure : ""));
		}
		return (byte[]) next;
	}

	/**
	 * The next message the channel sent, as a type.
	 * @param <T> the type
	 * @param type {@code byte[]}, {@code String} or a type the converter reads
	 * @return the message
	 */
	@SuppressWarnings("unchecked")
	public <T> T receive(Class<T> type) {
		byte[] bytes = receive();
		if (type == byte[].class) {
			return (T) bytes;
		}
		if (type == String.class) {
			return (T) new String(bytes, StandardCharsets.UTF_8);
		}
		Object converted = this.converter.fromMessage(MessageBuilder.withPayload(bytes).build(), type);
		if (converted == null) {
			throw new AssertionError("Cannot read a " + type.getName() + " from the message on channel '" + this.channel
					+ "': " + new String(bytes, StandardCharsets.UTF_8));
		}
		return type.cast(converted);
	}

	/**
	 * Wait until the channel closes the connection, skipping messages it sends before.
	 * @throws AssertionError if it is still open after the timeout
	 */
	public void awaitClosedByChannel() {
		long deadline = System.nanoTime() + this.timeout.toNanos();
		while (true) {
			Object next;
			try {
				next = this.received.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError("Interrupted while waiting for channel '" + this.channel + "' to close");
			}
			if (next == CLOSED) {
				this.received.add(CLOSED);
				return;
			}
			if (next == null) {
				throw new AssertionError("Channel '" + this.channel + "' kept the connection open for " + this.timeout);
			}
		}
	}

	/**
	 * Close the connection and stop the reader thread.
	 */
	@Override
	public void close() {
		try {
			this.socket.close();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot close the connection to channel '" + this.channel + "'", ex);
		}
		finally {
			try {
				this.reader.join(5000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private void read(InputStream in) {
		try {
			while (true) {
				this.received.add(this.codec.deserialize(in));
				if (this.framing == Framing.RAW) {
					break;
				}
			}
		}
		catch (SoftEndOfStreamException ex) {
			// the channel closed the connection between messages
		}
		catch (IOException | RuntimeException ex) {
			if (!this.socket.isClosed()) {
				this.readFailure = ex;
			}
		}
		finally {
			this.received.add(CLOSED);
		}
	}

	private byte[] toBytes(Object payload) {
		if (payload instanceof byte[] bytes) {
			return bytes;
		}
		if (payload instanceof String text) {
			return text.getBytes(StandardCharsets.UTF_8);
		}
		Message<?> message = this.converter.toMessage(payload, null);
		if (message == null) {
			throw new IllegalArgumentException("Cannot convert a " + payload.getClass().getName() + " for channel '"
					+ this.channel + "'; pass byte[] or String, or put Jackson on the class path");
		}
		Object converted = message.getPayload();
		return (converted instanceof String text) ? text.getBytes(StandardCharsets.UTF_8) : (byte[]) converted;
	}

}
