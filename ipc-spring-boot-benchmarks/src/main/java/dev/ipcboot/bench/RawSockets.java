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
 * Plain JDK socket endpoints: the baselines. A blocking client that writes one frame and
 * reads one frame (line or 4-byte big-endian length prefix), and a blocking echo server
 * with a thread per connection that echoes whatever arrives, so it serves any framing.
 */
final class RawSockets {

	private RawSockets() {
	}

	/**
	 * A 64-byte message framed as the starter's {@code framing} property names it: 63
	 * bytes and a newline, or a 4-byte length and 64 bytes.
	 */
	static ByteBuffer frame(String framing, int size) {
		byte[] bytes = new byte[size];
		Arrays.fill(bytes, (byte) 'x');
		if (framing.equals("line")) {
			bytes[size - 1] = '\n';
			return ByteBuffer.allocateDirect(size).put(bytes).flip();
		}
		return ByteBuffer.allocateDirect(4 + size).putInt(size).put(bytes).flip();
	}

	static SocketAddress address(String transport, Path dir, String name) {
		return transport.equals("local") ? UnixDomainSocketAddress.of(dir.resolve(name))
				: new InetSocketAddress("127.0.0.1", 0);
	}

	static SocketChannel connect(SocketAddress address) throws IOException {
		SocketChannel channel = SocketChannel.open(address);
		if (address instanceof InetSocketAddress) {
			channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
		}
		return channel;
	}

	static void writeFully(SocketChannel channel, ByteBuffer frame) throws IOException {
		frame.rewind();
		while (frame.hasRemaining()) {
			channel.write(frame);
		}
	}

	/**
	 * One request/reply on a blocking channel: write the frame, read until the reply
	 * frame is complete.
	 */
	static int roundTrip(SocketChannel channel, ByteBuffer request, ByteBuffer reply, boolean line) throws IOException {
		writeFully(channel, request);
		reply.clear();
		while (true) {
			if (channel.read(reply) < 0) {
				throw new IOException("server closed the connection");
			}
			int position = reply.position();
			if (line ? (position > 0 && reply.get(position - 1) == '\n')
					: (position >= 4 && position >= 4 + reply.getInt(0))) {
				return position;
			}
		}
	}

	/**
	 * A blocking server with a thread per connection: {@link #echo} writes back whatever
	 * arrives, {@link #sink} reads and discards.
	 */
	static final class RawServer implements AutoCloseable {

		private final ServerSocketChannel server;

		private final SocketAddress bound;

		private final boolean echo;

		private RawServer(SocketAddress address, boolean echo) throws IOException {
			this.echo = echo;
			this.server = (address instanceof UnixDomainSocketAddress)
					? ServerSocketChannel.open(StandardProtocolFamily.UNIX) : ServerSocketChannel.open();
			this.server.bind(address);
			this.bound = this.server.getLocalAddress();
			Thread acceptor = new Thread(this::accept, echo ? "bench-echo-acceptor" : "bench-sink-acceptor");
			acceptor.setDaemon(true);
			acceptor.start();
		}

		static RawServer echo(SocketAddress address) throws IOException {
			return new RawServer(address, true);
		}

		static RawServer sink(SocketAddress address) throws IOException {
			return new RawServer(address, false);
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
					Thread worker = new Thread(() -> serve(channel), this.echo ? "bench-echo" : "bench-sink");
					worker.setDaemon(true);
					worker.start();
				}
			}
			catch (IOException ex) {
				// closed by close()
			}
		}

		private void serve(SocketChannel channel) {
			ByteBuffer buffer = ByteBuffer.allocateDirect(256 * 1024);
			try (channel) {
				while (channel.read(buffer) >= 0) {
					buffer.flip();
					while (this.echo && buffer.hasRemaining()) {
						channel.write(buffer);
					}
					buffer.clear();
				}
			}
			catch (IOException ex) {
				// the client went away
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
