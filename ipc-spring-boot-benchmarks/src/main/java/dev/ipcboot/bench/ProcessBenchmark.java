package dev.ipcboot.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
import dev.ipcboot.process.ManagedProcess;
import dev.ipcboot.process.ProcessManager;
import dev.ipcboot.process.ProcessSpec;

/**
 * Scenario 8. Start and reap {@code /bin/true} through {@code ProcessManager} (an ad-hoc
 * spec) against {@code ProcessBuilder.start().waitFor()}; and output delivery:
 * {@code cat} of a 16 MiB file of 64-byte lines, each line delivered to an
 * {@code @IpcListener} of the configured process {@code lines}, against reading the
 * child's stdout pipe directly in 64 KiB reads. One operation of the delivery benchmarks
 * is 1 MiB, so their score is MiB/s.
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
public class ProcessBenchmark {

	private static final int MIB = 1024 * 1024;

	private static final int FILE_MIB = 16;

	private Path dir;

	private Path lines;

	private ConfigurableApplicationContext context;

	private ProcessManager processes;

	private LineCounter counter;

	private final ProcessSpec trueSpec = ProcessSpec.of("true", "/bin/true");

	private final ProcessSpec trueWithoutDeathSignal = this.trueSpec.withDieWithParent(false);

	@Setup(Level.Trial)
	public void setUp() throws IOException {
		this.dir = Files.createTempDirectory("ipc-bench");
		this.lines = this.dir.resolve("lines.txt");
		String line = "x".repeat(63) + "\n";
		Files.writeString(this.lines, line.repeat(FILE_MIB * MIB / 64), StandardCharsets.US_ASCII);
		this.context = Apps.run(ProcessApplication.class, "--ipc.processes.lines.command[0]=/bin/cat",
				"--ipc.processes.lines.command[1]=" + this.lines, "--ipc.processes.lines.autostart=false",
				"--ipc.processes.lines.restart=never");
		this.processes = this.context.getBean(ProcessManager.class);
		this.counter = this.context.getBean(LineCounter.class);
	}

	@TearDown(Level.Trial)
	public void tearDown() throws IOException {
		this.context.close();
		Apps.delete(this.dir);
	}

	@Benchmark
	@BenchmarkMode(Mode.SampleTime)
	@OutputTimeUnit(TimeUnit.MICROSECONDS)
	public int starterStartAndReap() {
		ManagedProcess process = this.processes.start(this.trueSpec);
		if (!process.waitForFinished(Duration.ofSeconds(10))) {
			throw new IllegalStateException("/bin/true did not finish");
		}
		return process.exitCode();
	}

	/**
	 * The starter with {@code die-with-parent} off: the difference is what handing each
	 * child to the process guardian (a pipe write per start and per end) costs.
	 */
	@Benchmark
	@BenchmarkMode(Mode.SampleTime)
	@OutputTimeUnit(TimeUnit.MICROSECONDS)
	public int starterWithoutDeathSignal_StartAndReap() {
		ManagedProcess process = this.processes.start(this.trueWithoutDeathSignal);
		if (!process.waitForFinished(Duration.ofSeconds(10))) {
			throw new IllegalStateException("/bin/true did not finish");
		}
		return process.exitCode();
	}

	@Benchmark
	@BenchmarkMode(Mode.SampleTime)
	@OutputTimeUnit(TimeUnit.MICROSECONDS)
	public int baselineStartAndReap() throws Exception {
		return new ProcessBuilder("/bin/true").start().waitFor();
	}

	@Benchmark
	@BenchmarkMode(Mode.Throughput)
	@OutputTimeUnit(TimeUnit.SECONDS)
	@OperationsPerInvocation(FILE_MIB)
	public long starterLinesMiB() {
		return ChildOutput.startAndAwait(this.processes, "lines", this.counter.bytes, (long) FILE_MIB * MIB);
	}

	@Benchmark
	@BenchmarkMode(Mode.Throughput)
	@OutputTimeUnit(TimeUnit.SECONDS)
	@OperationsPerInvocation(FILE_MIB)
	public long baselineLinesMiB() throws Exception {
		return ChildOutput.readAll(new ProcessBuilder("/bin/cat", this.lines.toString()).redirectErrorStream(true),
				64 * 1024);
	}

	/** The application under test: the process {@code lines} and a listener on it. */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	public static class ProcessApplication {

		@Bean
		LineCounter lineCounter() {
			return new LineCounter();
		}

	}

	/** Counts the bytes of every line it receives, newline included. */
	public static class LineCounter {

		final AtomicLong bytes = new AtomicLong();

		@IpcListener("lines")
		public void line(byte[] line) {
			this.bytes.addAndGet(line.length + 1);
		}

	}

}
