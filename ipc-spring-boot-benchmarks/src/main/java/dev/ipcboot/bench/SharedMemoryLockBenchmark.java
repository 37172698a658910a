package dev.ipcboot.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

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

import dev.ipcboot.internal.natives.IpcNatives;
import dev.ipcboot.shm.SharedMemory;
import dev.ipcboot.shm.SharedMemoryFactory;
import dev.ipcboot.shm.SharedMemorySettings;

/**
 * Scenario 6, locking: an uncontended {@code SharedMemory.lock()}/{@code unlock()} pair
 * against the backend's own calls made directly through the starter's native bindings
 * ({@code flock} on a POSIX segment's descriptor; {@code semop} with {@code SEM_UNDO} on
 * a System V semaphore) and, for scale, a {@link ReentrantLock} in one process.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class SharedMemoryLockBenchmark {

	@Param({ "posix", "system-v" })
	public String backend;

	private SharedMemoryFactory factory;

	private SharedMemory memory;

	private final ReentrantLock reentrantLock = new ReentrantLock();

	private String rawName;

	private int rawFd = -1;

	private int rawSemaphore = -1;

	private Path rawKeyFile;

	@Setup(Level.Trial)
	public void setUp() throws Exception {
		String key = "ipcbench_lock_" + ProcessHandle.current().pid();
		this.factory = new SharedMemoryFactory((event) -> {
		});
		SharedMemorySettings settings = SharedMemorySettings.of(key, 4096);
		if (this.backend.equals("system-v")) {
			settings = settings.withBackend(SharedMemorySettings.Backend.SYSTEM_V);
		}
		this.memory = this.factory.open(settings);
		this.rawName = "/" + key + "_raw";
		if (this.backend.equals("posix")) {
			this.rawFd = IpcNatives.shmOpen(this.rawName, true, false, 0600);
		}
		else {
			this.rawKeyFile = Files.createTempFile("ipcbench", ".key");
			this.rawSemaphore = IpcNatives.semGet(IpcNatives.ftok(this.rawKeyFile, 'B'), true, 0600, this.rawName);
			IpcNatives.semSetValue(this.rawSemaphore, 1, this.rawName);
		}
	}

	@TearDown(Level.Trial)
	public void tearDown() throws Exception {
		this.memory.close();
		this.factory.close();
		if (this.rawFd >= 0) {
			IpcNatives.close(this.rawFd, this.rawName);
			IpcNatives.shmUnlink(this.rawName);
		}
		if (this.rawSemaphore >= 0) {
			IpcNatives.semRemove(this.rawSemaphore, this.rawName);
			Files.deleteIfExists(this.rawKeyFile);
		}
	}

	@Benchmark
	public void starterLockUnlock() {
		this.memory.lock();
		this.memory.unlock();
	}

	@Benchmark
	public void baselineLockUnlock() {
		if (this.rawFd >= 0) {
			IpcNatives.flockExclusive(this.rawFd, this.rawName);
			IpcNatives.flockRelease(this.rawFd, this.rawName);
		}
		else {
			IpcNatives.semChange(this.rawSemaphore, -1, 0, this.rawName);
			IpcNatives.semChange(this.rawSemaphore, 1, 0, this.rawName);
		}
	}

	@Benchmark
	public void reentrantLock_LockUnlock() {
		this.reentrantLock.lock();
		this.reentrantLock.unlock();
	}

}
