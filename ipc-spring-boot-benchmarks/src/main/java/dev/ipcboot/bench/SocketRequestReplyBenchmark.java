package dev.ipcboot.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
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
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import dev.ipcboot.listener.IpcListener;

/**
 * Scenarios 1 and 2: request/reply of a 64-byte message through an {@code @IpcListener}
 * server versus a plain JDK echo server, with the same plain JDK client on both sides,
 * over a local socket and over TCP, line and length-prefixed framing. Both servers run in
 * the benchmark JVM, so the placement of client and server threads is the scheduler's
 * choice for both alike.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class SocketRequestReplyBenchmark {

	@Param({ "local", "tcp" })
	public String transport;

	/** Where the listener runs: the workers (the default) or the event loop. */
	@Param({ "workers", "event-loop" })
	public String dispatch;

	@Param({ "line", "length-prefixed" })
	public String framing;

	private Path dir;

	private RawSockets.RawServer rawServer;

	private ConfigurableApplicationContext context;

	private SocketChannel rawClient;

	private SocketChannel starterClient;

	private ByteBuffer request;

	private final ByteBuffer reply = ByteBuffer.allocateDirect(1024);

	private boolean line;

	@Setup(Level.Trial)
	public void setUp() throws IOException {
		this.dir = Files.createTempDirectory("ipc-bench");
		this.line = this.framing.equals("line");
		this.request = RawSockets.frame(this.framing, 64);
		this.rawServer = RawSockets.RawServer.echo(RawSockets.address(this.transport, this.dir, "raw.sock"));
		this.rawClient = RawSockets.connect(this.rawServer.address());
		this.context = Apps.run(EchoApplication.class, "--ipc.servers.bench.transport=" + this.transport,
				"--ipc.servers.bench.path=" + this.dir.resolve("starter.sock"), "--ipc.servers.bench.port=0",
				"--ipc.servers.bench.dispatch=" + this.dispatch, "--ipc.servers.bench.framing=" + this.framing);
		this.starterClient = RawSockets.connect(starterAddress(this.context, this.transport, this.dir));
	}

	static SocketAddress starterAddress(ConfigurableApplicationContext context, String transport, Path dir) {
		return transport.equals("local") ? UnixDomainSocketAddress.of(dir.resolve("starter.sock"))
				: new InetSocketAddress("127.0.0.1", Apps.port(context, "bench"));
	}

	@TearDown(Level.Trial)
	public void tearDown() throws IOException {
		this.rawClient.close();
		this.starterClient.close();
		this.rawServer.close();
		this.context.close();
		Apps.delete(this.dir);
	}

	@Benchmark
	public int baselineRequestReply() throws IOException {
		return RawSockets.roundTrip(this.rawClient, this.request, this.reply, this.line);
	}

	@Benchmark
	public int starterRequestReply() throws IOException {
		return RawSockets.roundTrip(this.starterClient, this.request, this.reply, this.line);
	}

	/** The application under test: one echo listener on the server {@code bench}. */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	public static class EchoApplication {

		@Bean
		Echo echo() {
			return new Echo();
		}

	}

	/** Echoes every message. */
	public static class Echo {

		@IpcListener("bench")
		public byte[] echo(byte[] message) {
			return message;
		}

	}

}
