package dev.ipcboot.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
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
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Scenario 3: requests per second with 16 concurrent clients (16 JMH threads, each with
 * its own blocking connection to each server), line framing, 64-byte messages, against an
 * {@code @IpcListener} echo server and a plain JDK echo server (a thread per connection).
 * <p>
 * Placement {@code split}: every server thread on CPU 1 and the 16 client threads on CPU
 * 0 ({@link CpuPinning}), so that the ratio compares what the two servers do with one
 * CPU. Placement {@code shared}: nothing pinned; then 16 client threads and the servers'
 * threads share both CPUs, and the ratio also measures how the scheduler divides them (a
 * thread-per-connection server has 16 runnable threads to the event-driven server's one
 * or two, and its wake-ups pass straight from a client to its own server thread).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(16)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
public class SocketThroughputBenchmark {

	@Param({ "local", "tcp" })
	public String transport;

	/** Where the listener runs: the workers (the default) or the event loop. */
	@Param({ "workers", "event-loop" })
	public String dispatch;

	/**
	 * Where the threads run: {@code split} (servers on CPU 1, clients on CPU 0) or
	 * {@code shared}.
	 */
	@Param({ "split", "shared" })
	public String placement;

	Path dir;

	RawSockets.RawServer rawServer;

	ConfigurableApplicationContext context;

	@Setup(Level.Trial)
	public void setUp() throws IOException {
		if (this.placement.equals("split")) {
			CpuPinning.requireTwoCpus();
			// the threads the servers start from here on inherit the CPU: accept and
			// connection threads, event loops, workers
			CpuPinning.pinCurrentThread(CpuPinning.SERVER_CPU);
		}
		this.dir = Files.createTempDirectory("ipc-bench");
		this.rawServer = RawSockets.RawServer.echo(RawSockets.address(this.transport, this.dir, "raw.sock"));
		this.context = Apps.run(SocketRequestReplyBenchmark.EchoApplication.class,
				"--ipc.servers.bench.transport=" + this.transport,
				"--ipc.servers.bench.path=" + this.dir.resolve("starter.sock"), "--ipc.servers.bench.port=0",
				"--ipc.servers.bench.dispatch=" + this.dispatch, "--ipc.servers.bench.framing=line");
	}

	@TearDown(Level.Trial)
	public void tearDown() throws IOException {
		this.rawServer.close();
		this.context.close();
		Apps.delete(this.dir);
	}

	/** One client thread's connections. */
	@State(Scope.Thread)
	public static class Client {

		SocketChannel raw;

		SocketChannel starter;

		final ByteBuffer request = RawSockets.frame("line", 64);

		final ByteBuffer reply = ByteBuffer.allocateDirect(1024);

		@Setup(Level.Trial)
		public void connect(SocketThroughputBenchmark servers) throws IOException {
			if (servers.placement.equals("split")) {
				CpuPinning.pinCurrentThread(CpuPinning.CLIENT_CPU);
			}
			this.raw = RawSockets.connect(servers.rawServer.address());
			this.starter = RawSockets
				.connect(SocketRequestReplyBenchmark.starterAddress(servers.context, servers.transport, servers.dir));
		}

		@TearDown(Level.Trial)
		public void close() throws IOException {
			this.raw.close();
			this.starter.close();
		}

	}

	@Benchmark
	public int baselineRequests(Client client) throws IOException {
		return RawSockets.roundTrip(client.raw, client.request, client.reply, true);
	}

	@Benchmark
	public int starterRequests(Client client) throws IOException {
		return RawSockets.roundTrip(client.starter, client.request, client.reply, true);
	}

}
