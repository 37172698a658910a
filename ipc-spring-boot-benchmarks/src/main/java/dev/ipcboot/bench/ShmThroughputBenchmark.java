package dev.ipcboot.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.context.ConfigurableApplicationContext;

import dev.ipcboot.socket.IpcClient;

/**
 * Issue 17's 16 concurrent clients of 64-byte request/reply, requests/s: 16 JMH threads
 * share the starter's {@code transport: shm} {@code IpcClient} (pool of 16, one shm
 * connection each, so one server thread each) to an {@code @IpcListener} server
 * ({@code starter}), against 16 JDK clients of the starter's local-socket server
 * ({@code baseline}, the default {@code dispatch: workers}) and of a JDK
 * thread-per-connection echo server ({@code rawJdk}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(16)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class ShmThroughputBenchmark {

	private Path dir;

	private RawSockets.RawServer rawServer;

	private ConfigurableApplicationContext context;

	private IpcClient shm;

	@Setup(Level.Trial)
	public void setUp() throws IOException {
		this.dir = Files.createTempDirectory("ipc-bench");
		this.rawServer = RawSockets.RawServer.echo(RawSockets.address("local", this.dir, "raw.sock"));
		this.context = Apps.run(ShmTransportMeasurement.BenchApplication.class,
				"--ipc.servers.local.path=" + this.dir.resolve("local.sock"), "--ipc.servers.local.framing=line",
				"--ipc.servers.shm.transport=shm", "--ipc.servers.shm.path=" + this.dir.resolve("shm.sock"),
				"--ipc.clients.shm.transport=shm", "--ipc.clients.shm.path=" + this.dir.resolve("shm.sock"),
				"--ipc.clients.shm.pool-size=16");
		this.shm = this.context.getBean("ipc.clients.shm", IpcClient.class);
	}

	@TearDown(Level.Trial)
	public void tearDown() throws IOException {
		this.rawServer.close();
		this.context.close();
		Apps.delete(this.dir);
	}

	/** Each JMH thread's own connections to the local and raw servers. */
	@State(Scope.Thread)
	public static class Connections {

		SocketChannel local;

		SocketChannel raw;

		final ByteBuffer request = RawSockets.frame("line", 64);

		final ByteBuffer reply = ByteBuffer.allocateDirect(1024);

		final byte[] shmRequest = new byte[64];

		@Setup(Level.Trial)
		public void connect(ShmThroughputBenchmark benchmark) throws IOException {
			Arrays.fill(this.shmRequest, (byte) 'x');
			this.local = RawSockets.connect(RawSockets.address("local", benchmark.dir, "local.sock"));
			this.raw = RawSockets.connect(benchmark.rawServer.address());
		}

		@TearDown(Level.Trial)
		public void close() throws IOException {
			this.local.close();
			this.raw.close();
		}

	}

	@Benchmark
	public int starterRequests(Connections connections) {
		return this.shm.request(connections.shmRequest).length;
	}

	@Benchmark
	public int baselineRequests(Connections connections) throws IOException {
		return RawSockets.roundTrip(connections.local, connections.request, connections.reply, true);
	}

	@Benchmark
	public int rawJdk_Requests(Connections connections) throws IOException {
		return RawSockets.roundTrip(connections.raw, connections.request, connections.reply, true);
	}

}
