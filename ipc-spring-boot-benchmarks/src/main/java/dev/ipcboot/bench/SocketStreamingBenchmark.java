package dev.ipcboot.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
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
 * frames) written by a plain JDK client to a plain JDK server that reads the channel into
 * one direct buffer and discards the bytes (the baseline), or to an {@code @IpcListener}
 * method: {@code starterStreamMiB} one that takes a {@code ByteBuffer} (the borrowed
 * payload the starter offers for streaming), {@code starterByteArrayListener_StreamMiB}
 * one that takes a {@code byte[]} of its own per frame; both rows are reported against
 * the same baseline. The sockets' buffers are small next to the bytes moved in an
 * iteration, so the writer's rate is the receiver's rate.
 * <p>
 * At the end of a trial the fork prints the CPU time the receiving threads spent per MiB
 * ({@code reader CPU}), a figure that the shared machine's noise disturbs less than the
 * rate.
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

	/** Where the listener runs: the workers (the default) or the event loop. */
	@Param({ "workers", "event-loop" })
	public String dispatch;

	private Path dir;

	private RawSockets.RawServer rawServer;

	private ConfigurableApplicationContext context;

	private SocketChannel rawClient;

	private SocketChannel starterClient;

	private SocketChannel starterBytesClient;

	private long frames;

	private String readers = "";

	private final ByteBuffer frame = ByteBuffer.allocateDirect(4 + FRAME).putInt(FRAME).put(new byte[FRAME]).flip();

	@Setup(Level.Trial)
	public void setUp() throws IOException {
		this.dir = Files.createTempDirectory("ipc-bench");
		this.rawServer = RawSockets.RawServer.sink(RawSockets.address(this.transport, this.dir, "raw.sock"));
		this.rawClient = RawSockets.connect(this.rawServer.address());
		this.context = Apps.run(SinkApplication.class, "--ipc.servers.bench.transport=" + this.transport,
				"--ipc.servers.bench.path=" + this.dir.resolve("starter.sock"), "--ipc.servers.bench.port=0",
				"--ipc.servers.bench.framing=length-prefixed", "--ipc.servers.bytes.transport=" + this.transport,
				"--ipc.servers.bytes.path=" + this.dir.resolve("bytes.sock"), "--ipc.servers.bytes.port=0",
				"--ipc.servers.bytes.framing=length-prefixed", "--ipc.servers.bench.dispatch=" + this.dispatch,
				"--ipc.servers.bytes.dispatch=" + this.dispatch);
		this.starterClient = RawSockets
			.connect(SocketRequestReplyBenchmark.starterAddress(this.context, this.transport, this.dir));
		this.starterBytesClient = RawSockets
			.connect(this.transport.equals("local") ? UnixDomainSocketAddress.of(this.dir.resolve("bytes.sock"))
					: new InetSocketAddress("127.0.0.1", Apps.port(this.context, "bytes")));
	}

	@TearDown(Level.Trial)
	public void tearDown() throws IOException {
		String cpu = readerCpuPerMiB();
		this.rawClient.close();
		this.starterClient.close();
		this.starterBytesClient.close();
		this.rawServer.close();
		long received = this.context.getBean(Sink.class).bytes.sum();
		long receivedBytes = this.context.getBean(ByteArraySink.class).bytes.sum();
		this.context.close();
		Apps.delete(this.dir);
		if (this.readers.equals("ipc-") && received + receivedBytes == 0) {
			throw new IllegalStateException("the listener received nothing");
		}
		System.out.println(cpu);
	}

	/**
	 * CPU time of the threads that received this trial's frames over the MiB written: the
	 * frames of the last iterations may still be in the socket, which the size of the run
	 * makes negligible.
	 */
	private String readerCpuPerMiB() {
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		long nanos = 0;
		for (Thread thread : Thread.getAllStackTraces().keySet()) {
			if (!this.readers.isEmpty() && thread.getName().startsWith(this.readers)) {
				nanos += Math.max(0, threads.getThreadCpuTime(thread.getId()));
			}
		}
		double mib = this.frames / (double) FRAMES_PER_MIB;
		return String.format(Locale.ROOT, "reader CPU (%s, dispatch %s, threads %s*): %.1f us/MiB over %.0f MiB",
				this.transport, this.dispatch, this.readers, nanos / 1000.0 / mib, mib);
	}

	@Benchmark
	public void baselineStreamMiB() throws IOException {
		this.readers = "bench-sink";
		stream(this.rawClient);
	}

	@Benchmark
	public void starterStreamMiB() throws IOException {
		this.readers = "ipc-";
		stream(this.starterClient);
	}

	@Benchmark
	public void starterByteArrayListener_StreamMiB() throws IOException {
		this.readers = "ipc-";
		stream(this.starterBytesClient);
	}

	private void stream(SocketChannel client) throws IOException {
		for (int i = 0; i < FRAMES_PER_MIB; i++) {
			RawSockets.writeFully(client, this.frame);
		}
		this.frames += FRAMES_PER_MIB;
	}

	/** The application under test: one listener of each kind, on its own server. */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	public static class SinkApplication {

		@Bean
		Sink sink() {
			return new Sink();
		}

		@Bean
		ByteArraySink byteArraySink() {
			return new ByteArraySink();
		}

	}

	/** Counts every frame's bytes, reading them from the borrowed buffer; no reply. */
	public static class Sink {

		final LongAdder bytes = new LongAdder();

		@IpcListener("bench")
		public void receive(ByteBuffer frame) {
			this.bytes.add(frame.remaining());
		}

	}

	/** Counts every frame's bytes, given as an array of its own; no reply. */
	public static class ByteArraySink {

		final LongAdder bytes = new LongAdder();

		@IpcListener("bytes")
		public void receive(byte[] frame) {
			this.bytes.add(frame.length);
		}

	}

}
