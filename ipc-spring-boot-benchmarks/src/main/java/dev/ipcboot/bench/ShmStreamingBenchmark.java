package dev.ipcboot.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

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
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.context.ConfigurableApplicationContext;

import dev.ipcboot.socket.IpcClient;

/**
 * Issue 17's one-way stream of 64 KiB messages to a {@code ByteBuffer} listener, MiB/s
 * (one operation = one MiB = 16 messages): the starter's {@code IpcClient.send} over
 * {@code transport: shm} ({@code starter}) against a JDK client writing length-prefixed
 * frames to the starter's local-socket server ({@code baseline}) and to a JDK sink
 * ({@code rawJdk}, which only writes into the kernel: its sink counts nothing). Each
 * operation of the starter and the baseline ends when the listener has counted the MiB it
 * sent, so their rates are of delivered messages (with at most one MiB in flight).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
public class ShmStreamingBenchmark {

	private static final int MESSAGE = 64 * 1024;

	private static final int MESSAGES_PER_MIB = 16;

	private Path dir;

	private RawSockets.RawServer rawServer;

	private ConfigurableApplicationContext context;

	private SocketChannel rawClient;

	private SocketChannel localClient;

	private IpcClient shm;

	private ShmTransportMeasurement.Sink sink;

	private long localSent;

	private long shmSent;

	private final byte[] payload = new byte[MESSAGE];

	private final ByteBuffer frame = RawSockets.frame("length-prefixed", MESSAGE);

	@Setup(Level.Trial)
	public void setUp() throws IOException {
		this.dir = Files.createTempDirectory("ipc-bench");
		this.rawServer = RawSockets.RawServer.sink(RawSockets.address("local", this.dir, "raw.sock"));
		this.rawClient = RawSockets.connect(this.rawServer.address());
		this.context = Apps.run(ShmTransportMeasurement.BenchApplication.class,
				"--ipc.servers.local.path=" + this.dir.resolve("local.sock"),
				"--ipc.servers.local.framing=length-prefixed", "--ipc.servers.local.max-message-size=1MB",
				"--ipc.servers.shm.transport=shm", "--ipc.servers.shm.path=" + this.dir.resolve("shm.sock"),
				"--ipc.clients.shm.transport=shm", "--ipc.clients.shm.path=" + this.dir.resolve("shm.sock"));
		this.localClient = RawSockets.connect(RawSockets.address("local", this.dir, "local.sock"));
		this.shm = this.context.getBean("ipc.clients.shm", IpcClient.class);
		this.sink = this.context.getBean(ShmTransportMeasurement.Sink.class);
	}

	/** Wait, inside the timed operation, until the listener counted what was sent. */
	private static void awaitDelivered(AtomicLong received, long sent) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (received.get() < sent) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("the listener did not receive what was sent");
			}
			Thread.onSpinWait();
		}
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
	public void starterStreamMiB() {
		for (int i = 0; i < MESSAGES_PER_MIB; i++) {
			this.shm.send(this.payload);
		}
		this.shmSent += (long) MESSAGES_PER_MIB * MESSAGE;
		awaitDelivered(this.sink.shm, this.shmSent);
	}

	@Benchmark
	public void baselineStreamMiB() throws IOException {
		for (int i = 0; i < MESSAGES_PER_MIB; i++) {
			RawSockets.writeFully(this.localClient, this.frame);
		}
		this.localSent += (long) MESSAGES_PER_MIB * MESSAGE;
		awaitDelivered(this.sink.local, this.localSent);
	}

	@Benchmark
	public void rawJdk_StreamMiB() throws IOException {
		for (int i = 0; i < MESSAGES_PER_MIB; i++) {
			RawSockets.writeFully(this.rawClient, this.frame);
		}
	}

}
