package dev.ipcboot.bench;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

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

import dev.ipcboot.shm.SharedMemory;
import dev.ipcboot.shm.SharedMemoryFactory;
import dev.ipcboot.shm.SharedMemorySettings;

/**
 * Scenario 6, bulk copy: {@code SharedMemory.write} and {@code read} of 1 MiB (POSIX
 * segment) against {@code ByteBuffer.put}/{@code get} on a {@link MappedByteBuffer} of a
 * file in {@code /dev/shm}. One operation is 1 MiB, so the score is MiB/s. Both reads
 * return a new array, as {@code SharedMemory.read} does by contract.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class SharedMemoryCopyBenchmark {

	private static final int MIB = 1024 * 1024;

	private SharedMemoryFactory factory;

	private SharedMemory memory;

	private Path file;

	private FileChannel channel;

	private MappedByteBuffer mapped;

	private final byte[] bytes = new byte[MIB];

	@Setup(Level.Trial)
	public void setUp() throws IOException {
		String key = "ipcbench_copy_" + ProcessHandle.current().pid();
		this.factory = new SharedMemoryFactory((event) -> {
		});
		this.memory = this.factory.open(SharedMemorySettings.of(key, MIB));
		this.file = Path.of("/dev/shm", key + "_raw");
		this.channel = FileChannel.open(this.file, StandardOpenOption.CREATE, StandardOpenOption.READ,
				StandardOpenOption.WRITE);
		this.mapped = this.channel.map(FileChannel.MapMode.READ_WRITE, 0, MIB);
		for (int i = 0; i < MIB; i++) {
			this.bytes[i] = (byte) i;
		}
	}

	@TearDown(Level.Trial)
	public void tearDown() throws IOException {
		this.memory.close();
		this.factory.close();
		this.channel.close();
		Files.deleteIfExists(this.file);
	}

	@Benchmark
	public void starterWriteMiB() {
		this.memory.write(0, this.bytes);
	}

	@Benchmark
	public void baselineWriteMiB() {
		this.mapped.put(0, this.bytes);
	}

	@Benchmark
	public byte[] starterReadMiB() {
		return this.memory.read(0, MIB);
	}

	@Benchmark
	public byte[] baselineReadMiB() {
		byte[] target = new byte[MIB];
		this.mapped.get(0, target);
		return target;
	}

}
