package dev.ipcboot.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

import dev.ipcboot.internal.natives.IpcNatives;
import dev.ipcboot.semaphore.SemaphoreSettings;
import dev.ipcboot.semaphore.SystemSemaphore;
import dev.ipcboot.semaphore.SystemSemaphoreFactory;
import dev.ipcboot.semaphore.internal.QtKeyFiles;

/**
 * Scenario 7: cross-process hand-off latency. This JVM releases {@code ping} and acquires
 * {@code pong}; a small C peer (compiled with gcc at set-up, killed by the kernel if this
 * JVM dies) acquires {@code ping} and releases {@code pong}, so one operation is a round
 * trip between two processes. The starter side uses two {@link SystemSemaphore}s with the
 * backend of the parameter; the baseline makes the plain calls of that backend on two
 * semaphores of its own through the starter's native bindings: {@code sem_post}/
 * {@code sem_wait} on named POSIX semaphores, or {@code semop} of +1/-1 without
 * {@code SEM_UNDO} on System V sets (the starter acquires with {@code SEM_UNDO}, so that
 * the kernel gives back what a dead process held, and winds that record back before the
 * kernel's limit). Each side has its own peer process; placement is the scheduler's
 * choice, or one CPU in the pinned run.
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
			#include <sys/ipc.h>
			#include <sys/prctl.h>
			#include <sys/sem.h>
			static int systemV(const char *pingFile, const char *pongFile, int project) {
			    int ping = semget(ftok(pingFile, project), 1, 0), pong = semget(ftok(pongFile, project), 1, 0);
			    if (ping < 0 || pong < 0) return 1;
			    struct sembuf down = {0, -1, 0}, up = {0, 1, 0};
			    for (;;) {
			        if (semop(ping, &down, 1) < 0) return 0;
			        if (semop(pong, &up, 1) < 0) return 0;
			    }
			}
			int main(int argc, char **argv) {
			    prctl(PR_SET_PDEATHSIG, SIGKILL);
			    if (argc == 4) return systemV(argv[1], argv[2], argv[3][0]);
			    sem_t *ping = sem_open(argv[1], 0), *pong = sem_open(argv[2], 0);
			    if (ping == SEM_FAILED || pong == SEM_FAILED) return 1;
			    for (;;) {
			        if (sem_wait(ping) < 0) return 0;
			        if (sem_post(pong) < 0) return 0;
			    }
			}
			""";

	/** The starter's semaphore backend, and the raw calls of the baseline. */
	@Param({ "posix", "system-v" })
	public String backend;

	private Path dir;

	private SystemSemaphoreFactory factory;

	private SystemSemaphore ping;

	private SystemSemaphore pong;

	private String rawName;

	private long rawPing;

	private long rawPong;

	private int rawPingId;

	private int rawPongId;

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
		this.rawName = "/" + key + "_raw";
		if (systemV()) {
			// the starter's key files: <tmp>/ipcboot_sem_<key>, project 'S'
			Path tmp = QtKeyFiles.tempDirectory();
			this.starterPeer = peer(peer, tmp.resolve("ipcboot_sem_" + key + "_ping").toString(),
					tmp.resolve("ipcboot_sem_" + key + "_pong").toString(), "S");
			Path rawPingFile = Files.createFile(this.dir.resolve("raw_ping"));
			Path rawPongFile = Files.createFile(this.dir.resolve("raw_pong"));
			this.rawPingId = IpcNatives.semGet(IpcNatives.ftok(rawPingFile, 'R'), true, 0600, this.rawName);
			this.rawPongId = IpcNatives.semGet(IpcNatives.ftok(rawPongFile, 'R'), true, 0600, this.rawName);
			this.rawPeer = peer(peer, rawPingFile.toString(), rawPongFile.toString(), "R");
		}
		else {
			this.starterPeer = peer(peer, "/" + key + "_ping", "/" + key + "_pong");
			this.rawPing = IpcNatives.semOpen(this.rawName + "_ping", true, 0600, 0);
			this.rawPong = IpcNatives.semOpen(this.rawName + "_pong", true, 0600, 0);
			this.rawPeer = peer(peer, this.rawName + "_ping", this.rawName + "_pong");
		}
	}

	private boolean systemV() {
		return "system-v".equals(this.backend);
	}

	private SemaphoreSettings settings(String key) {
		return SemaphoreSettings.of(key, 0)
			.withMode(SemaphoreSettings.Mode.CREATE)
			.withBackend(systemV() ? SemaphoreSettings.Backend.SYSTEM_V : SemaphoreSettings.Backend.POSIX);
	}

	private static Process peer(Path peer, String... arguments) throws IOException {
		List<String> command = new ArrayList<>();
		command.add(peer.toString());
		command.addAll(List.of(arguments));
		// no inherited output: a peer must never hold this fork's pipes open
		return new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.redirectError(ProcessBuilder.Redirect.DISCARD)
			.start();
	}

	@TearDown(Level.Trial)
	public void tearDown() throws Exception {
		this.rawPeer.destroyForcibly().waitFor();
		this.starterPeer.destroyForcibly().waitFor();
		if (systemV()) {
			IpcNatives.semRemove(this.rawPingId, this.rawName);
			IpcNatives.semRemove(this.rawPongId, this.rawName);
		}
		else {
			IpcNatives.semClose(this.rawPing, this.rawName);
			IpcNatives.semClose(this.rawPong, this.rawName);
			IpcNatives.semUnlink(this.rawName + "_ping");
			IpcNatives.semUnlink(this.rawName + "_pong");
		}
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
		if (systemV()) {
			IpcNatives.semChange(this.rawPingId, 0, 1, this.rawName);
			IpcNatives.semChange(this.rawPongId, 0, -1, this.rawName);
		}
		else {
			IpcNatives.semPost(this.rawPing, this.rawName);
			IpcNatives.semWait(this.rawPong, this.rawName);
		}
	}

}
