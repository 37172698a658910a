package dev.ipcboot.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

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
 * Scenario 4: streaming 64 KiB length-prefixed frames one way. One operation is 1 MiB (16
 * frames) written by a plain JDK client, either to an {@code @IpcListener} method that
 * receives each frame as a {@code byte[]}, or to a plain JDK server that reads the
 * channel and discards the bytes. The sockets' buffers are small next to the bytes moved
 * in an iteration, so the writer's rate is the receiver's rate.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
public class SocketStreamingBenchmark {

	private static final int FRAME = 64 * 1024;

	private static final int FRAMES_PER_MIB = 16;

	@Param({ "local", "tcp" })
	public String transport;

	private Path dir;

	private RawSockets.RawServer rawServer;

	private ConfigurableApplicationContext context;

	private SocketChannel rawClient;

	private SocketChannel starterClient;

	private boolean starterRan;

	private final ByteBuffer frame = ByteBuffer.allocateDirect(4 + FRAME).putInt(FRAME).put(new byte[FRAME]).flip();

	@Setup(Level.Trial)
	public void setUp() throws IOException {
		this.dir = Files.createTempDirectory("ipc-bench");
		this.rawServer = RawSockets.RawServer.sink(RawSockets.address(this.transport, this.dir, "raw.sock"));
		this.rawClient = RawSockets.connect(this.rawServer.address());
		this.context = Apps.run(SinkApplication.class, "--ipc.servers.bench.transport=" + this.transport,
				"--ipc.servers.bench.path=" + this.dir.resolve("starter.sock"), "--ipc.servers.bench.port=0",
				"--ipc.servers.bench.framing=length-prefixed");
		this.starterClient = RawSockets
			.connect(SocketRequestReplyBenchmark.starterAddress(this.context, this.transport, this.dir));
	}

	@TearDown(Level.Trial)
	public void tearDown() throws IOException {
		this.rawClient.close();
		this.starterClient.close();
		this.rawServer.close();
		long received = this.context.getBean(Sink.class).bytes.sum();
		this.context.close();
		Apps.delete(this.dir);
		if (this.starterRan && received == 0) {
			throw new IllegalStateException("the listener received nothing");
		}
	}

	@Benchmark
	public void baselineStreamMiB() throws IOException {
		for (int i = 0; i < FRAMES_PER_MIB; i++) {
			RawSockets.writeFully(this.rawClient, this.frame);
		}
	}

	@Benchmark
	public void starterStreamMiB() throws IOException {
		this.starterRan = true;
		for (int i = 0; i < FRAMES_PER_MIB; i++) {
			RawSockets.writeFully(this.starterClient, this.frame);
		}
	}

	/** The application under test: one listener that counts the bytes it receives. */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	public static class SinkApplication {

		@Bean
		Sink sink() {
			return new Sink();
		}

	}

	/** Counts every frame's bytes; no reply. */
	public static class Sink {

		final LongAdder bytes = new LongAdder();

		@IpcListener("bench")
		public void receive(byte[] frame) {
			this.bytes.add(frame.length);
		}

	}

}
