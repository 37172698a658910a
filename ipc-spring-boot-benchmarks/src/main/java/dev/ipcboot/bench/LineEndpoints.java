package dev.ipcboot.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Plain JDK line-framed endpoints: the baselines. A blocking client that writes one line
 * and reads one line, and a blocking echo server with a thread per connection.
 */
final class LineEndpoints {

	private LineEndpoints() {
	}

	static byte[] payload(int size) {
		byte[] bytes = new byte[size];
		Arrays.fill(bytes, (byte) 'x');
		bytes[size - 1] = '\n';
		return bytes;
	}

	static SocketAddress unixAddress(Path dir, String name) {
		return UnixDomainSocketAddress.of(dir.resolve(name));
	}

	static SocketChannel connect(SocketAddress address) throws IOException {
		SocketChannel channel = SocketChannel.open(address);
		if (address instanceof InetSocketAddress) {
			channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
		}
		return channel;
	}

	/**
	 * One request/reply on a blocking channel: write the line, read until the newline.
	 */
	static int roundTrip(SocketChannel channel, ByteBuffer request, ByteBuffer reply) throws IOException {
		request.rewind();
		while (request.hasRemaining()) {
			channel.write(request);
		}
		reply.clear();
		while (true) {
			if (channel.read(reply) < 0) {
				throw new IOException("server closed the connection");
			}
			if (reply.position() > 0 && reply.get(reply.position() - 1) == '\n') {
				return reply.position();
			}
		}
	}

	/** A blocking echo server: a thread per connection, echoing whatever arrives. */
	static final class EchoServer implements AutoCloseable {

		private final ServerSocketChannel server;

		private final Thread acceptor;

		private final SocketAddress bound;

		EchoServer(SocketAddress address) throws IOException {
			this.server = (address instanceof UnixDomainSocketAddress)
					? ServerSocketChannel.open(StandardProtocolFamily.UNIX) : ServerSocketChannel.open();
			this.server.bind(address);
			this.bound = this.server.getLocalAddress();
			this.acceptor = new Thread(this::accept, "bench-echo-acceptor");
			this.acceptor.setDaemon(true);
			this.acceptor.start();
		}

		SocketAddress address() {
			return this.bound;
		}

		private void accept() {
			try {
				while (true) {
					SocketChannel channel = this.server.accept();
					if (channel.getLocalAddress() instanceof InetSocketAddress) {
						channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
					}
					Thread worker = new Thread(() -> echo(channel), "bench-echo");
					worker.setDaemon(true);
					worker.start();
				}
			}
			catch (IOException ex) {
				// closed
			}
		}

		private static void echo(SocketChannel channel) {
			ByteBuffer buffer = ByteBuffer.allocateDirect(256 * 1024);
			try (channel) {
				while (channel.read(buffer) >= 0) {
					buffer.flip();
					while (buffer.hasRemaining()) {
						channel.write(buffer);
					}
					buffer.clear();
				}
			}
			catch (IOException ex) {
				// peer went away
			}
		}

		@Override
		public void close() throws IOException {
			this.server.close();
			if (this.bound instanceof UnixDomainSocketAddress unix) {
				Files.deleteIfExists(unix.getPath());
			}
		}

	}

}
