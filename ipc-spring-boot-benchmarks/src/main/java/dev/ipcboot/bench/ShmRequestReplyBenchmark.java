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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.context.ConfigurableApplicationContext;

import dev.ipcboot.socket.IpcClient;

/**
 * Issue 17's {@code transport: shm} request/reply of 64 bytes: the starter's
 * {@code IpcClient} to an {@code @IpcListener} server, both {@code transport: shm}
 * ({@code starter}), against the starter's {@code @IpcListener} server on a local socket
 * ({@code transport: local}, line framing, the default {@code dispatch: workers}) with a
 * blocking JDK client ({@code baseline}: "our own local-socket channel"), and a JDK echo
 * server on a Unix-domain socket with the same JDK client ({@code rawJdk}). The listeners
 * take a {@code ByteBuffer} and echo it. Runs unpinned and on one CPU
 * ({@link BenchmarkReport}); {@code spin} is the shm client's and server's bounded spin
 * before they sleep (the "two free vCPUs" row is spin=5000 unpinned).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class ShmRequestReplyBenchmark {

	@Param({ "0", "5000" })
	public String spin;

	private Path dir;

	private RawSockets.RawServer rawServer;

	private ConfigurableApplicationContext context;

	private SocketChannel rawClient;

	private SocketChannel localClient;

	private IpcClient shm;

	private final ByteBuffer request = RawSockets.frame("line", 64);

	private final ByteBuffer reply = ByteBuffer.allocateDirect(1024);

	private final byte[] shmRequest = new byte[64];

	@Setup(Level.Trial)
	public void setUp() throws IOException {
		this.dir = Files.createTempDirectory("ipc-bench");
		Arrays.fill(this.shmRequest, (byte) 'x');
		this.rawServer = RawSockets.RawServer.echo(RawSockets.address("local", this.dir, "raw.sock"));
		this.rawClient = RawSockets.connect(this.rawServer.address());
		this.context = Apps.run(ShmTransportMeasurement.BenchApplication.class,
				"--ipc.servers.local.path=" + this.dir.resolve("local.sock"), "--ipc.servers.local.framing=line",
				"--ipc.servers.shm.transport=shm", "--ipc.servers.shm.path=" + this.dir.resolve("shm.sock"),
				"--ipc.servers.shm.spin=" + this.spin, "--ipc.clients.shm.transport=shm",
				"--ipc.clients.shm.path=" + this.dir.resolve("shm.sock"), "--ipc.clients.shm.spin=" + this.spin);
		this.localClient = RawSockets.connect(RawSockets.address("local", this.dir, "local.sock"));
		this.shm = this.context.getBean("ipc.clients.shm", IpcClient.class);
	}

	@TearDown(Level.Trial)
	public void tearDown() throws IOException {
		this.rawClient.close();
		this.localClient.close();
		this.rawServer.close();
		this.context.close();
		Apps.delete(this.dir);
	}

	@Benchmark
	public int starterRequestReply() {
		byte[] answer = this.shm.request(this.shmRequest);
		if (answer.length != 64) {
			throw new IllegalStateException("short reply: " + answer.length);
		}
		return answer.length;
	}

	@Benchmark
	public int baselineRequestReply() throws IOException {
		return RawSockets.roundTrip(this.localClient, this.request, this.reply, true);
	}

	@Benchmark
	public int rawJdk_RequestReply() throws IOException {
		return RawSockets.roundTrip(this.rawClient, this.request, this.reply, true);
	}

}
