package dev.ipcboot.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

import dev.ipcboot.natives.IpcNatives;
import dev.ipcboot.semaphore.SemaphoreSettings;
import dev.ipcboot.semaphore.SystemSemaphore;
import dev.ipcboot.semaphore.SystemSemaphoreFactory;

/**
 * Scenario 7: cross-process hand-off latency. This JVM releases {@code ping} and acquires
 * {@code pong}; a small C peer (compiled with gcc at set-up, killed by the kernel if this
 * JVM dies) acquires {@code ping} and releases {@code pong}, so one operation is a round
 * trip between two processes. The starter side uses two {@link SystemSemaphore}s with the
 * POSIX backend; the baseline makes the same {@code sem_post}/{@code sem_wait} calls on
 * two plain named POSIX semaphores through the starter's native bindings. Each side has
 * its own peer process; placement is the scheduler's choice.
 * <p>
 * The published figures are for the POSIX backend: when they were taken, a System V
 * consumer that only acquired overflowed its {@code SEM_UNDO} record after 32767
 * acquisitions; the starter now winds that record back, so a System V variant can be
 * added.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class SemaphoreHandOffBenchmark {

	private static final String PEER = """
			#include <fcntl.h>
			#include <semaphore.h>
			#include <signal.h>
			#include <sys/prctl.h>
			int main(int argc, char **argv) {
			    prctl(PR_SET_PDEATHSIG, SIGKILL);
			    sem_t *ping = sem_open(argv[1], 0), *pong = sem_open(argv[2], 0);
			    if (ping == SEM_FAILED || pong == SEM_FAILED) return 1;
			    for (;;) {
			        if (sem_wait(ping) < 0) return 0;
			        if (sem_post(pong) < 0) return 0;
			    }
			}
			""";

	private Path dir;

	private SystemSemaphoreFactory factory;

	private SystemSemaphore ping;

	private SystemSemaphore pong;

	private String rawName;

	private long rawPing;

	private long rawPong;

	private Process starterPeer;

	private Process rawPeer;

	@Setup(Level.Trial)
	public void setUp() throws Exception {
		this.dir = Files.createTempDirectory("ipc-bench");
		Path source = Files.writeString(this.dir.resolve("peer.c"), PEER);
		Path peer = this.dir.resolve("peer");
		Process gcc = new ProcessBuilder("gcc", "-O2", "-pthread", "-o", peer.toString(), source.toString()).inheritIO()
			.start();
		if (gcc.waitFor() != 0) {
			throw new IllegalStateException("gcc could not build the semaphore peer; install gcc");
		}
		String key = "ipcbench_" + ProcessHandle.current().pid();
		this.factory = new SystemSemaphoreFactory();
		this.ping = this.factory.open(settings(key + "_ping"));
		this.pong = this.factory.open(settings(key + "_pong"));
		this.starterPeer = peer(peer, "/" + key + "_ping", "/" + key + "_pong");
		this.rawName = "/" + key + "_raw";
		this.rawPing = IpcNatives.semOpen(this.rawName + "_ping", true, 0600, 0);
		this.rawPong = IpcNatives.semOpen(this.rawName + "_pong", true, 0600, 0);
		this.rawPeer = peer(peer, this.rawName + "_ping", this.rawName + "_pong");
	}

	private static SemaphoreSettings settings(String key) {
		return SemaphoreSettings.of(key, 0)
			.withMode(SemaphoreSettings.Mode.CREATE)
			.withBackend(SemaphoreSettings.Backend.POSIX);
	}

	private static Process peer(Path peer, String ping, String pong) throws IOException {
		// no inherited output: a peer must never hold this fork's pipes open
		return new ProcessBuilder(peer.toString(), ping, pong).redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.redirectError(ProcessBuilder.Redirect.DISCARD)
			.start();
	}

	@TearDown(Level.Trial)
	public void tearDown() throws Exception {
		this.rawPeer.destroyForcibly().waitFor();
		this.starterPeer.destroyForcibly().waitFor();
		IpcNatives.semClose(this.rawPing, this.rawName);
		IpcNatives.semClose(this.rawPong, this.rawName);
		IpcNatives.semUnlink(this.rawName + "_ping");
		IpcNatives.semUnlink(this.rawName + "_pong");
		this.ping.close();
		this.pong.close();
		this.factory.close();
		Apps.delete(this.dir);
	}

	@Benchmark
	public void starterHandOff() {
		this.ping.release();
		this.pong.acquire();
	}

	@Benchmark
	public void baselineHandOff() {
		IpcNatives.semPost(this.rawPing, this.rawName);
		IpcNatives.semWait(this.rawPong, this.rawName);
	}

}
