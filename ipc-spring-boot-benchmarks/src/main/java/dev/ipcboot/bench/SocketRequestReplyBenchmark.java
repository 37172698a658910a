package dev.ipcboot.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import dev.ipcboot.listener.IpcListener;

/**
 * Scenarios 1 and 2: request/reply of a 64-byte line through an {@code @IpcListener}
 * server versus a plain JDK echo server, with the same plain JDK client on both sides,
 * over a local socket and over TCP. Both servers run in the benchmark JVM, so the
 * placement of client and server threads is the scheduler's choice for both alike.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SocketRequestReplyBenchmark {

	@Param({ "local", "tcp" })
	public String transport;

	private Path dir;

	private LineEndpoints.EchoServer rawServer;

	private ConfigurableApplicationContext context;

	private SocketChannel rawClient;

	private SocketChannel starterClient;

	private final ByteBuffer request = ByteBuffer.allocateDirect(64).put(LineEndpoints.payload(64));

	private final ByteBuffer reply = ByteBuffer.allocateDirect(1024);

	@Setup(Level.Trial)
	public void setUp() throws IOException {
		this.dir = Files.createTempDirectory("ipc-bench");
		boolean local = this.transport.equals("local");
		SocketAddress rawAddress = local ? LineEndpoints.unixAddress(this.dir, "raw.sock")
				: new InetSocketAddress("127.0.0.1", 0);
		this.rawServer = new LineEndpoints.EchoServer(rawAddress);
		this.rawClient = LineEndpoints.connect(this.rawServer.address());
		SpringApplication application = new SpringApplication(EchoApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setLogStartupInfo(false);
		Path starterPath = this.dir.resolve("starter.sock");
		this.context = application.run("--ipc.servers.bench.transport=" + this.transport,
				"--ipc.servers.bench.path=" + starterPath, "--ipc.servers.bench.port=0",
				"--ipc.servers.bench.framing=line", "--logging.level.root=warn");
		SocketAddress starterAddress = local ? LineEndpoints.unixAddress(this.dir, "starter.sock")
				: new InetSocketAddress("127.0.0.1",
						Integer.parseInt(this.context.getEnvironment().getProperty("local.ipc.server.bench.port")));
		this.starterClient = LineEndpoints.connect(starterAddress);
	}

	@TearDown(Level.Trial)
	public void tearDown() throws IOException {
		this.rawClient.close();
		this.starterClient.close();
		this.rawServer.close();
		this.context.close();
		try (var files = Files.list(this.dir)) {
			for (Path file : (Iterable<Path>) files::iterator) {
				Files.deleteIfExists(file);
			}
		}
		Files.deleteIfExists(this.dir);
	}

	@Benchmark
	public int baselineRequestReply() throws IOException {
		return LineEndpoints.roundTrip(this.rawClient, this.request, this.reply);
	}

	@Benchmark
	public int starterRequestReply() throws IOException {
		return LineEndpoints.roundTrip(this.starterClient, this.request, this.reply);
	}

	/** The application under test: one echo listener. */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	public static class EchoApplication {

		@Bean
		Echo echo() {
			return new Echo();
		}

	}

	/** Echoes every line. */
	public static class Echo {

		@IpcListener("bench")
		public byte[] echo(byte[] line) {
			return line;
		}

	}

}
