package dev.ipcboot.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
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
import dev.ipcboot.process.ProcessManager;
import dev.ipcboot.process.ProcessResult;
import dev.ipcboot.process.ProcessSpec;

/**
 * Scenario 8, second round. Run-and-capture of {@code /bin/true} with
 * {@code ProcessManager.run} against {@code ProcessBuilder.start()}, reading its output
 * to the end and {@code waitFor()}; and binary output: {@code cat} of a 128 MiB file
 * (large enough that the start of each child, measured by {@code RunTrue} and
 * {@link ProcessBenchmark}, does not dominate) of random bytes delivered as raw chunks to
 * a {@code ByteBuffer} {@code @IpcListener} (framing {@code raw}), against reading the
 * child's stdout pipe directly in 256 KiB reads. One operation of the binary benchmarks
 * is 1 MiB, so their score is MiB/s.
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 3, time = 2)
public class ProcessCaptureBenchmark {

	private static final int MIB = 1024 * 1024;

	private static final int FILE_MIB = 128;

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private Path dir;

	private Path blob;

	private ConfigurableApplicationContext context;

	private ProcessManager processes;

	private ChunkCounter counter;

	private final ProcessSpec trueSpec = ProcessSpec.of("true", "/bin/true");

	@Setup(Level.Trial)
	public void setUp() throws IOException {
		this.dir = Files.createTempDirectory("ipc-bench");
		this.blob = this.dir.resolve("blob.bin");
		byte[] bytes = new byte[FILE_MIB * MIB];
		new Random(42).nextBytes(bytes);
		Files.write(this.blob, bytes);
		this.context = Apps.run(CaptureApplication.class, "--ipc.processes.blob.command[0]=/bin/cat",
				"--ipc.processes.blob.command[1]=" + this.blob, "--ipc.processes.blob.autostart=false",
				"--ipc.processes.blob.restart=never", "--ipc.processes.blob.framing=raw");
		this.processes = this.context.getBean(ProcessManager.class);
		this.counter = this.context.getBean(ChunkCounter.class);
	}

	@TearDown(Level.Trial)
	public void tearDown() throws IOException {
		this.context.close();
		Apps.delete(this.dir);
	}

	@Benchmark
	@BenchmarkMode(Mode.SampleTime)
	@OutputTimeUnit(TimeUnit.MICROSECONDS)
	public int starterRunTrue() {
		ProcessResult result = this.processes.run(this.trueSpec, TIMEOUT);
		if (!result.succeeded()) {
			throw new IllegalStateException("/bin/true did not succeed: " + result);
		}
		return result.stdout().length;
	}

	@Benchmark
	@BenchmarkMode(Mode.SampleTime)
	@OutputTimeUnit(TimeUnit.MICROSECONDS)
	public int baselineRunTrue() throws Exception {
		Process process = new ProcessBuilder("/bin/true").start();
		byte[] stdout;
		try (InputStream in = process.getInputStream()) {
			stdout = in.readAllBytes();
		}
		if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) || process.exitValue() != 0) {
			throw new IllegalStateException("/bin/true did not succeed");
		}
		return stdout.length;
	}

	@Benchmark
	@BenchmarkMode(Mode.Throughput)
	@OutputTimeUnit(TimeUnit.SECONDS)
	@OperationsPerInvocation(FILE_MIB)
	public long starterBinaryMiB() {
		return ChildOutput.startAndAwait(this.processes, "blob", this.counter.bytes, (long) FILE_MIB * MIB);
	}

	@Benchmark
	@BenchmarkMode(Mode.Throughput)
	@OutputTimeUnit(TimeUnit.SECONDS)
	@OperationsPerInvocation(FILE_MIB)
	public long baselineBinaryMiB() throws Exception {
		return ChildOutput.readAll(new ProcessBuilder("/bin/cat", this.blob.toString()), 256 * 1024);
	}

	/** The application under test: the process {@code blob} and a listener on it. */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	public static class CaptureApplication {

		@Bean
		ChunkCounter chunkCounter() {
			return new ChunkCounter();
		}

	}

	/** Counts the bytes of every chunk it receives. */
	public static class ChunkCounter {

		final AtomicLong bytes = new AtomicLong();

		@IpcListener("blob")
		public void chunk(ByteBuffer chunk) {
			this.bytes.addAndGet(chunk.remaining());
		}

	}

}
