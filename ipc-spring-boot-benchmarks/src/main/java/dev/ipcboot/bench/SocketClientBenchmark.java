package dev.ipcboot.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;

import dev.ipcboot.socket.IpcClient;

/**
 * Scenario 5: the client side's own cost. {@code IpcClient.request} of a 63-byte payload
 * (64 bytes with the newline its line framing adds) against a plain JDK echo server,
 * versus a plain JDK blocking client talking to the same server.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class SocketClientBenchmark {

	@Param({ "local", "tcp" })
	public String transport;

	private Path dir;

	private RawSockets.RawServer server;

	private ConfigurableApplicationContext context;

	private SocketChannel rawClient;

	private IpcClient client;

	private final ByteBuffer request = RawSockets.frame("line", 64);

	private final ByteBuffer reply = ByteBuffer.allocateDirect(1024);

	private final byte[] payload = new byte[63];

	@Setup(Level.Trial)
	public void setUp() throws IOException {
		Arrays.fill(this.payload, (byte) 'x');
		this.dir = Files.createTempDirectory("ipc-bench");
		this.server = RawSockets.RawServer.echo(RawSockets.address(this.transport, this.dir, "raw.sock"));
		this.rawClient = RawSockets.connect(this.server.address());
		String where = this.transport.equals("local") ? "--ipc.clients.bench.path=" + this.dir.resolve("raw.sock")
				: "--ipc.clients.bench.port=" + ((InetSocketAddress) this.server.address()).getPort();
		this.context = Apps.run(ClientApplication.class, "--ipc.clients.bench.transport=" + this.transport, where,
				"--ipc.clients.bench.framing=line");
		this.client = this.context.getBean(IpcClient.class);
	}

	@TearDown(Level.Trial)
	public void tearDown() throws IOException {
		this.rawClient.close();
		this.context.close();
		this.server.close();
		Apps.delete(this.dir);
	}

	@Benchmark
	public int baselineRequest() throws IOException {
		return RawSockets.roundTrip(this.rawClient, this.request, this.reply, true);
	}

	@Benchmark
	public byte[] starterRequest() {
		return this.client.request(this.payload);
	}

	/** The application under test: one client, {@code ipc.clients.bench}. */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	public static class ClientApplication {

	}

}
