package dev.ipcboot.autoconfigure;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * A server written with plain JDK and junixsocket sockets and framing coded by hand
 * (independent of Spring Integration's serializers), so the client is tested against a
 * peer that shares none of its code. It echoes every frame, except that a frame starting
 * with {@code ignore} is never answered, one starting with {@code late} is answered only
 * once the test calls {@link #releaseLateReplies()}, and one starting with {@code close}
 * closes the connection unanswered (as a server does when its listener fails). Threads
 * are named {@code peer-}, never {@code ipc-}.
 */
final class ClientTestServer implements AutoCloseable {

	private final CountDownLatch lateReleased = new CountDownLatch(1);

	private final AtomicInteger lateAnswered = new AtomicInteger();

	private final ServerSocket server;

	private final String framing;

	private final Set<Socket> connections = ConcurrentHashMap.newKeySet();

	private final AtomicInteger accepted = new AtomicInteger();

	private final AtomicInteger endOfStreams = new AtomicInteger();

	private final AtomicInteger replies = new AtomicInteger();

	private final List<String> received = new CopyOnWriteArrayList<>();

	/** Every frame received, in order. */
	List<String> received() {
		return this.received;
	}

	private final List<String> failures = new CopyOnWriteArrayList<>();

	List<String> failures() {
		return this.failures;
	}

	private final Thread acceptor;

	private volatile boolean closing;

	private ClientTestServer(ServerSocket server, String framing) {
		this.server = server;
		this.framing = framing;
		this.acceptor = new Thread(this::accept, "peer-accept");
		this.acceptor.setDaemon(true);
		this.acceptor.start();
	}

	static ClientTestServer local(Path path, String framing) throws IOException {
		Files.deleteIfExists(path);
		AFUNIXServerSocket server = AFUNIXServerSocket.newInstance();
		server.bind(AFUNIXSocketAddress.of(path));
		return new ClientTestServer(server, framing);
	}

	static ClientTestServer tcp(int port, String framing) throws IOException {
		ServerSocket server = new ServerSocket();
		server.setReuseAddress(true);
		// the restart test rebinds while the old server's closed connections linger in
		// FIN_WAIT_2 (the client has not noticed yet); SO_REUSEPORT lets it, as it lets a
		// restarted production server
		server.setOption(StandardSocketOptions.SO_REUSEPORT, true);
		server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
		return new ClientTestServer(server, framing);
	}

	static ClientTestServer start(String transport, Path path, int port, String framing) throws IOException {
		return "local".equals(transport) ? local(path, framing) : tcp(port, framing);
	}

	static ClientTestServer wrap(ServerSocket server, String framing) {
		return new ClientTestServer(server, framing);
	}

	int port() {
		return this.server.getLocalPort();
	}

	/** Connections accepted so far. */
	int accepted() {
		return this.accepted.get();
	}

	/** Echo replies written in full (not counting {@code late} ones). */
	int replies() {
		return this.replies.get();
	}

	/** Connections on which the client ended the stream. */
	int endOfStreams() {
		return this.endOfStreams.get();
	}

	private void accept() {
		while (!this.server.isClosed()) {
			try {
				Socket socket = this.server.accept();
				if (this.closing) {
					// accepted by a socket that close() has closed: the JDK lets a
					// blocked
					// accept finish after close() returned
					socket.close();
					return;
				}
				if (!(this.server instanceof AFUNIXServerSocket)) {
					// frames are written in pieces on purpose; without this Nagle's
					// algorithm
					// would hold each piece for the client's delayed acknowledgement
					socket.setTcpNoDelay(true);
				}
				this.accepted.incrementAndGet();
				this.connections.add(socket);
				Thread thread = new Thread(() -> serve(socket), "peer-connection");
				thread.setDaemon(true);
				thread.start();
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	private void serve(Socket socket) {
		try (socket) {
			InputStream in = new BufferedInputStream(socket.getInputStream());
			OutputStream out = socket.getOutputStream();
			while (true) {
				byte[] frame = readFrame(in);
				if (frame == null) {
					this.endOfStreams.incrementAndGet();
					return;
				}
				String text = new String(frame, StandardCharsets.UTF_8);
				this.received.add(text);
				if (text.startsWith("close")) {
					return;
				}
				if (text.startsWith("ignore")) {
					continue;
				}
				if (text.startsWith("late")) {
					this.lateReleased.await();
					try {
						writeFrame(out, frame);
					}
					finally {
						this.lateAnswered.incrementAndGet();
					}
					continue;
				}
				writeFrame(out, frame);
				this.replies.incrementAndGet();
				if ("raw".equals(this.framing)) {
					return;
				}
			}
		}
		catch (IOException ex) {
			// the client went away or the server was closed; nothing to answer
			this.failures.add(ex.toString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			this.connections.remove(socket);
		}
	}

	/** The next frame, or null at end-of-stream between frames. */
	private byte[] readFrame(InputStream in) throws IOException {
		switch (this.framing) {
			case "length-prefixed": {
				DataInputStream data = new DataInputStream(in);
				int length;
				try {
					length = data.readInt();
				}
				catch (EOFException ex) {
					return null;
				}
				byte[] bytes = new byte[length];
				data.readFully(bytes);
				return bytes;
			}
			case "raw": {
				byte[] bytes = in.readAllBytes();
				return (bytes.length == 0) ? null : bytes;
			}
			case "stx-etx": {
				int first = in.read();
				if (first == -1) {
					return null;
				}
				if (first != 0x02) {
					throw new IOException("expected STX, got " + first);
				}
				return readUntil(in, new byte[] { 0x03 });
			}
			case "crlf":
				return readUntil(in, new byte[] { '\r', '\n' });
			default:
				return readUntil(in, new byte[] { '\n' });
		}
	}

	private static byte[] readUntil(InputStream in, byte[] terminator) throws IOException {
		ByteArrayOutputStream buffer = new ByteArrayOutputStream();
		int matched = 0;
		while (true) {
			int b = in.read();
			if (b == -1) {
				if (buffer.size() == 0 && matched == 0) {
					return null;
				}
				throw new EOFException("end of stream inside a frame");
			}
			if (b == terminator[matched]) {
				matched++;
				if (matched == terminator.length) {
					return buffer.toByteArray();
				}
				continue;
			}
			buffer.write(terminator, 0, matched);
			matched = 0;
			buffer.write(b);
		}
	}

	private void writeFrame(OutputStream out, byte[] frame) throws IOException {
		switch (this.framing) {
			case "length-prefixed" -> {
				DataOutputStream data = new DataOutputStream(out);
				data.writeInt(frame.length);
				data.write(frame);
			}
			case "raw" -> out.write(frame);
			case "stx-etx" -> {
				out.write(0x02);
				out.write(frame);
				out.write(0x03);
			}
			case "crlf" -> {
				out.write(frame);
				out.write(new byte[] { '\r', '\n' });
			}
			default -> {
				out.write(frame);
				out.write('\n');
			}
		}
		out.flush();
	}

	/** Let the held {@code late} requests be answered now. */
	void releaseLateReplies() {
		this.lateReleased.countDown();
	}

	/**
	 * How many {@code late} requests were answered (or the answer failed because the
	 * client had gone).
	 */
	int lateAnswered() {
		return this.lateAnswered.get();
	}

	/**
	 * Stop accepting and close every connection. Returns once the accept thread has
	 * ended: until then the closed server socket can still take connections (the JDK
	 * releases it when the blocked accept returns), which would race a restarted server
	 * at the same address.
	 */
	@Override
	public void close() throws IOException {
		this.closing = true;
		this.lateReleased.countDown();
		this.server.close();
		try {
			this.acceptor.join(10_000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (this.acceptor.isAlive()) {
			throw new IOException("accept thread of the test server still running 10s after close");
		}
		for (Socket socket : this.connections) {
			socket.close();
		}
	}

}
