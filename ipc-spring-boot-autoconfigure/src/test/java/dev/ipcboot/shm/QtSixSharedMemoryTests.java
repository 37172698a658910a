package dev.ipcboot.shm;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.ipcboot.shm.SharedMemorySettings.Access;
import dev.ipcboot.shm.SharedMemorySettings.Backend;
import dev.ipcboot.shm.SharedMemorySettings.Mode;
import dev.ipcboot.testsupport.shm.PeerProcess;
import dev.ipcboot.testsupport.shm.QtSixPython;
import dev.ipcboot.testsupport.shm.SystemObjects;
import dev.ipcboot.semaphore.internal.QtKeyFiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * PySide6's QSharedMemory (Qt 6.11) with a POSIX key,
 * {@code QSharedMemory(QSharedMemory.platformSafeKey(key))}, as the other process of a
 * {@code qt-key-type: posix} segment: same {@code /dev/shm/<key>}, same lock
 * {@code sem.<key>}, in both directions, including a holder killed with SIGKILL.
 */
class QtSixSharedMemoryTests {

	/** A Qt 6 QSharedMemory obeying one command per line, answering OK or ERROR. */
	static final String QT_PEER = """
			import os, sys, time
			from PySide6.QtCore import QSharedMemory
			key = sys.argv[2]
			m = QSharedMemory(QSharedMemory.platformSafeKey(key) if sys.argv[1] == "posix" else key)
			def answer(ok, text=""):
			    print(("OK " + str(text)) if ok else ("ERROR " + m.errorString()), flush=True)
			print("READY", flush=True)
			for line in sys.stdin:
			    w = line.split()
			    if w[0] == "create":
			        answer(m.create(int(w[1])), m.nativeIpcKey().toString())
			    elif w[0] == "attach":
			        answer(m.attach(), m.nativeIpcKey().toString() + " " + str(m.size()))
			    elif w[0] == "lock":
			        start = time.monotonic()
			        ok = m.lock()
			        answer(ok, int((time.monotonic() - start) * 1000))
			    elif w[0] == "hold":
			        m.lock()
			        print("LOCKED", flush=True)
			        time.sleep(int(w[1]) / 1000)
			        answer(m.unlock())
			    elif w[0] == "unlock":
			        answer(m.unlock())
			    elif w[0] == "read":
			        o, n = int(w[1]), int(w[2])
			        answer(True, bytes(m.constData())[o:o + n].decode())
			    elif w[0] == "write":
			        b = w[2].encode()
			        m.data()[int(w[1]):int(w[1]) + len(b)] = b
			        answer(True)
			    elif w[0] == "detach":
			        answer(m.detach())
			    elif w[0] == "exit":
			        break
			del m
			""";

	private final SharedMemoryFactory factory = new SharedMemoryFactory((event) -> {
	});

	private String python;

	private String key;

	@BeforeEach
	void requireQtSix() {
		this.python = QtSixPython.require();
		this.key = SystemObjects.uniqueKey("qt6");
	}

	@AfterEach
	void closeFactoryAndRemoveWhatQtLeft() throws Exception {
		this.factory.close();
		// Qt never removes a POSIX segment on Linux; a killed peer leaves its lock
		Files.deleteIfExists(Path.of("/dev/shm", this.key));
		Files.deleteIfExists(Path.of("/dev/shm", "sem." + this.key));
	}

	private SharedMemorySettings settings(long size, Mode mode) {
		return new SharedMemorySettings(this.key, size, mode, Access.READ_WRITE, 0600, false, Backend.QT_POSIX);
	}

	private PeerProcess qt() {
		PeerProcess peer = PeerProcess.python(this.python, QT_PEER, "posix", this.key);
		peer.expect("READY");
		return peer;
	}

	@Test
	void qtAttachesToOurSegmentAndSeesOurBytes() throws Exception {
		SharedMemory memory = this.factory.open(settings(4096, Mode.CREATE));
		memory.write(0, "from-java".getBytes(StandardCharsets.UTF_8));
		assertThat(memory.nativeKey()).isEqualTo("/" + this.key);
		assertThat(mode(this.key)).isEqualTo("rw-------");
		assertThat(mode("sem." + this.key)).as("the lock, created as Qt creates it").isEqualTo("rw-------");
		try (PeerProcess qt = qt()) {
			assertThat(qt.call("attach")).isEqualTo("posix:/" + this.key + " 4096");
			assertThat(qt.call("read 0 9")).isEqualTo("from-java");
			qt.call("write 20 from-qt");
			assertThat(new String(memory.read(20, 7), StandardCharsets.UTF_8)).isEqualTo("from-qt");
			qt.call("detach");
			qt.exit();
		}
		memory.close();
		assertThat(SystemObjects.devShm(this.key)).as("segment and lock removed by their creator").isEmpty();
	}

	@Test
	void weAttachToQtsSegmentAndSeeItsBytes() {
		try (PeerProcess qt = qt()) {
			assertThat(qt.call("create 8192")).isEqualTo("posix:/" + this.key);
			qt.call("write 5 hello-from-qt");
			SharedMemory memory = this.factory.open(settings(0, Mode.ATTACH));
			assertThat(memory.nativeKey()).isEqualTo("/" + this.key);
			assertThat(memory.size()).isEqualTo(8192);
			assertThat(new String(memory.read(5, 13), StandardCharsets.UTF_8)).isEqualTo("hello-from-qt");
			memory.write(100, "java".getBytes(StandardCharsets.UTF_8));
			assertThat(qt.call("read 100 4")).isEqualTo("java");
			memory.close();
			assertThat(SystemObjects.devShm(this.key)).as("what Qt created stays while Qt is attached")
				.containsExactlyInAnyOrder(this.key, "sem." + this.key);
			qt.call("detach");
			qt.exit();
		}
		assertThat(SystemObjects.devShm(this.key)).as("Qt removes its lock but, on Linux, leaves its segment")
			.containsExactly(this.key);
	}

	@Test
	void whileQtHoldsTheLockForFourSecondsOurLockWaits() {
		SharedMemory memory = this.factory.open(settings(64, Mode.CREATE));
		try (PeerProcess qt = qt()) {
			qt.call("attach");
			// Qt holds it 4 s from its LOCKED line: at least 2 s are left however late a
			// loaded machine hands us that line
			qt.send("hold 4000");
			qt.expect("LOCKED");
			long start = System.nanoTime();
			memory.lock();
			Duration waited = Duration.ofNanos(System.nanoTime() - start);
			memory.unlock();
			qt.expect("OK ");
			assertThat(waited).as("our lock() waited for Qt's").isGreaterThanOrEqualTo(Duration.ofSeconds(2));
			qt.exit();
		}
	}

	@Test
	void whileWeHoldTheLockForFourSecondsQtsLockWaits() {
		SharedMemory memory = this.factory.open(settings(64, Mode.CREATE));
		try (PeerProcess qt = qt()) {
			qt.call("attach");
			memory.lock();
			qt.send("lock");
			// Qt's wait counts from when it reads the command: at least 2 s of our 4 s
			// however late a loaded machine lets it read
			await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6)).until(() -> !qt.hasOutput());
			memory.unlock();
			String answer = qt.next();
			assertThat(answer).startsWith("OK ");
			assertThat(Long.parseLong(answer.substring(3))).as("milliseconds Qt's lock() waited")
				.isGreaterThanOrEqualTo(2000);
			qt.call("unlock");
			qt.exit();
		}
	}

	@Test
	void qtKilledWhileHoldingTheLockIsReleasedForUsOnceItsHolderIsProvedGone() {
		SharedMemory memory = this.factory.open(settings(64, Mode.CREATE));
		try (PeerProcess qt = qt()) {
			qt.call("attach");
			qt.send("hold 600000");
			qt.expect("LOCKED");
			CompletableFuture<Void> ours = CompletableFuture.runAsync(memory::lock);
			await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> !ours.isDone());
			qt.kill9();
			await().atMost(Duration.ofSeconds(10)).until(ours::isDone);
			ours.join();
			memory.unlock();
		}
	}

	@Test
	void anAttachedQtProgramThatIsNotWaitingKeepsADeadHoldersLockTakenUntilItLeaves() {
		SharedMemory memory = this.factory.open(settings(64, Mode.CREATE));
		try (PeerProcess holder = qt(); PeerProcess bystander = qt()) {
			holder.call("attach");
			bystander.call("attach");
			holder.send("hold 600000");
			holder.expect("LOCKED");
			holder.kill9();
			CompletableFuture<Void> ours = CompletableFuture.runAsync(memory::lock);
			await("a process reading its stdin could be the holder for all we can see").during(Duration.ofSeconds(4))
				.atMost(Duration.ofSeconds(6))
				.until(() -> !ours.isDone());
			// Qt's detach takes the lock too: once it waits, the dead holder's lock is
			// released to one of the two waiters, and the other gets it after
			bystander.send("detach");
			await().atMost(Duration.ofSeconds(10)).until(ours::isDone);
			ours.join();
			memory.unlock();
			bystander.next();
			bystander.exit();
		}
	}

	@Test
	void starterKilledWhileHoldingTheLockIsReleasedForQtByTheNextStarterThatLocks() {
		try (PeerProcess starter = PeerProcess.java(); PeerProcess qt = qt()) {
			starter.call("shm QT_POSIX CREATE " + this.key + " 64");
			qt.call("attach");
			starter.call("lock");
			qt.send("lock");
			starter.kill9();
			await("Qt alone never recovers a lock whose holder died").during(Duration.ofMillis(1500))
				.atMost(Duration.ofSeconds(3))
				.until(() -> !qt.hasOutput());
			CompletableFuture<SharedMemory> ours = CompletableFuture
				.supplyAsync(() -> this.factory.open(settings(0, Mode.ATTACH)));
			String answer = qt.next();
			assertThat(answer).startsWith("OK ");
			qt.call("unlock");
			await().atMost(Duration.ofSeconds(10)).until(ours::isDone);
			SharedMemory memory = ours.join();
			memory.lock();
			memory.unlock();
			qt.exit();
		}
	}

	@Test
	void stringConstructorOfQtSixSharesOurDefaultSystemVKeyTypeAndItsLock() {
		try (PeerProcess qt = PeerProcess.python(this.python, QT_PEER, "legacy", this.key)) {
			qt.expect("READY");
			String nativeKey = QtKeyFiles.qtKeyFile(QtKeyFiles.QT_SHARED_MEMORY_PREFIX, this.key).toString();
			assertThat(qt.call("create 256")).isEqualTo("systemv:" + nativeKey + "?legacyKey=" + this.key);
			qt.call("write 0 legacy-qt6");
			SharedMemory memory = this.factory
				.open(new SharedMemorySettings(this.key, 0, Mode.ATTACH, Access.READ_WRITE, 0600, false, Backend.QT));
			assertThat(memory.nativeKey()).isEqualTo(nativeKey);
			assertThat(new String(memory.read(0, 10), StandardCharsets.UTF_8)).isEqualTo("legacy-qt6");
			memory.lock();
			qt.send("lock");
			await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(2)).until(() -> !qt.hasOutput());
			memory.unlock();
			assertThat(qt.next()).startsWith("OK ");
			qt.call("unlock");
			memory.close();
			qt.call("detach");
			qt.exit();
		}
	}

	@Test
	void createModeReplacesTheSegmentQtLeftBehind() {
		try (PeerProcess qt = qt()) {
			qt.call("create 128");
			qt.call("write 0 stale");
			qt.exit();
		}
		assertThat(SystemObjects.devShm(this.key)).containsExactly(this.key);
		SharedMemory memory = this.factory.open(settings(4096, Mode.CREATE));
		assertThat(memory.size()).isEqualTo(4096);
		assertThat(memory.read(0, 5)).containsOnly(0);
	}

	@Test
	void createModeRefusesASegmentQtHasMappedAndLeavesItsLockAlone() throws Exception {
		try (PeerProcess qt = qt()) {
			qt.call("create 128");
			long lockInode = (Long) Files.getAttribute(Path.of("/dev/shm", "sem." + this.key), "unix:ino");
			assertThatExceptionOfType(SharedMemoryException.class)
				.isThrownBy(() -> this.factory.open(settings(128, Mode.CREATE)))
				.withMessageContaining("a process has it mapped");
			assertThat(Files.getAttribute(Path.of("/dev/shm", "sem." + this.key), "unix:ino")).isEqualTo(lockInode);
			qt.call("detach");
			qt.exit();
		}
	}

	private static String mode(String file) throws Exception {
		return PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of("/dev/shm", file)));
	}

}
