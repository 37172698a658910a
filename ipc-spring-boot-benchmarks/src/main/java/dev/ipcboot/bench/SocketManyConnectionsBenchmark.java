package dev.ipcboot.bench;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * 1,000 open connections, each making 100 request/reply round trips of a 64-byte line
 * (100,000 requests per operation, counted one by one): an {@code @IpcListener} echo
 * server against a plain JDK server of one thread and one {@link Selector}. The client
 * side is a single non-blocking selector loop in the benchmark thread, the same for both,
 * with one request in flight per connection.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 1, time = 3)
@Measurement(iterations = 3, time = 3)
public class SocketManyConnectionsBenchmark {

	private static final int CONNECTIONS = 1000;

	private static final int REQUESTS = 100;

	@Param({ "local", "tcp" })
	public String transport;

	private Path dir;

	private RawSelectorServer rawServer;

	private ConfigurableApplicationContext context;

	private Clients raw;

	private Clients starter;

	@Setup(Level.Trial)
	public void setUp() throws IOException {
		this.dir = Files.createTempDirectory("ipc-bench");
		this.rawServer = new RawSelectorServer(RawSockets.address(this.transport, this.dir, "raw.sock"));
		this.context = Apps.run(SocketRequestReplyBenchmark.EchoApplication.class,
				"--ipc.servers.bench.transport=" + this.transport,
				"--ipc.servers.bench.path=" + this.dir.resolve("starter.sock"), "--ipc.servers.bench.port=0",
				"--ipc.servers.bench.framing=line", "--ipc.servers.bench.max-connections=" + (2 * CONNECTIONS),
				"--ipc.servers.bench.max-connections-per-peer=" + (2 * CONNECTIONS));
		this.raw = new Clients(this.rawServer.address());
		this.starter = new Clients(SocketRequestReplyBenchmark.starterAddress(this.context, this.transport, this.dir));
	}

	@TearDown(Level.Trial)
	public void tearDown() throws IOException {
		this.raw.close();
		this.starter.close();
		this.rawServer.close();
		this.context.close();
		Apps.delete(this.dir);
	}

	@Benchmark
	@OperationsPerInvocation(CONNECTIONS * REQUESTS)
	public int baselineRequests() throws IOException {
		return this.raw.run();
	}

	@Benchmark
	@OperationsPerInvocation(CONNECTIONS * REQUESTS)
	public int starterRequests() throws IOException {
		return this.starter.run();
	}

	/** The client ends of the connections to one server, driven by one selector. */
	static final class Clients implements AutoCloseable {

		private final Selector selector = Selector.open();

		private final SocketChannel[] channels = new SocketChannel[CONNECTIONS];

		private final int[] answered = new int[CONNECTIONS];

		private final ByteBuffer request = RawSockets.frame("line", 64);

		private final ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);

		Clients(SocketAddress address) throws IOException {
			for (int i = 0; i < CONNECTIONS; i++) {
				SocketChannel channel = RawSockets.connect(address);
				channel.configureBlocking(false);
				channel.register(this.selector, SelectionKey.OP_READ, i);
				this.channels[i] = channel;
			}
		}

		/** Every connection makes its 100 round trips; returns the replies counted. */
		int run() throws IOException {
			java.util.Arrays.fill(this.answered, 0);
			for (SocketChannel channel : this.channels) {
				send(channel);
			}
			int done = 0;
			int replies = 0;
			while (done < CONNECTIONS) {
				this.selector.select(10_000);
				if (this.selector.selectedKeys().isEmpty()) {
					throw new IOException("no reply within 10 s; " + replies + " replies so far");
				}
				for (SelectionKey key : this.selector.selectedKeys()) {
					int index = (Integer) key.attachment();
					SocketChannel channel = (SocketChannel) key.channel();
					this.in.clear();
					if (channel.read(this.in) < 0) {
						throw new IOException("server closed connection " + index);
					}
					// one request in flight per connection, so each newline is one reply
					for (int i = 0; i < this.in.position(); i++) {
						if (this.in.get(i) == '\n') {
							replies++;
							if (++this.answered[index] < REQUESTS) {
								send(channel);
							}
							else {
								done++;
							}
						}
					}
				}
				this.selector.selectedKeys().clear();
			}
			return replies;
		}

		private void send(SocketChannel channel) throws IOException {
			ByteBuffer frame = this.request.duplicate();
			while (frame.hasRemaining()) {
				channel.write(frame);
			}
		}

		@Override
		public void close() throws IOException {
			for (SocketChannel channel : this.channels) {
				if (channel != null) {
					channel.close();
				}
			}
			this.selector.close();
		}

	}

}
