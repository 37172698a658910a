package dev.ipcboot.semaphore;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.ipcboot.semaphore.SemaphoreSettings.Backend;
import dev.ipcboot.semaphore.SemaphoreSettings.Mode;
import dev.ipcboot.semaphore.internal.QtKeyFiles;
import dev.ipcboot.testsupport.shm.PeerProcess;
import dev.ipcboot.testsupport.shm.QtSixPython;
import dev.ipcboot.testsupport.shm.SystemObjects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * PySide6's QSystemSemaphore (Qt 6.11) sharing one counting semaphore with us: a POSIX
 * key ({@code platformSafeKey}, our {@code qt-key-type: posix}) and the string
 * constructor {@code QSystemSemaphore("jobs", 1)}, which Qt 6 still maps to System V (our
 * default {@code qt-key-type: system-v}).
 */
class QtSixSystemSemaphoreTests {

	private static final String QT_PEER = """
			import sys
			from PySide6.QtCore import QSystemSemaphore
			key, initial = sys.argv[2], int(sys.argv[3])
			mode = QSystemSemaphore.AccessMode.Open
			if sys.argv[1] == "posix":
			    s = QSystemSemaphore(QSystemSemaphore.platformSafeKey(key), initial, mode)
			else:
			    s = QSystemSemaphore(key, initial, mode)
			print("READY " + s.nativeIpcKey().toString(), flush=True)
			for line in sys.stdin:
			    w = line.split()
			    if w[0] == "acquire":
			        print("OK" if s.acquire() else "ERROR " + s.errorString(), flush=True)
			    elif w[0] == "release":
			        print("OK" if s.release(int(w[1])) else "ERROR " + s.errorString(), flush=True)
			    elif w[0] == "exit":
			        break
			del s
			""";

	private final SystemSemaphoreFactory factory = new SystemSemaphoreFactory();

	private String python;

	private String key;

	@BeforeEach
	void requireQtSix() {
		this.python = QtSixPython.require();
		this.key = SystemObjects.uniqueKey("jobs");
	}

	@AfterEach
	void closeFactory() {
		this.factory.close();
	}

	@Test
	void platformSafeKeyOfQtSixAndOurPosixKeyTypeHandAUnitBackAndForth() {
		SystemSemaphore jobs = this.factory
			.open(new SemaphoreSettings(this.key, 1, Mode.CREATE, 0600, false, Backend.POSIX));
		try (PeerProcess qt = PeerProcess.python(this.python, QT_PEER, "posix", this.key, "1")) {
			qt.expect("READY posix:/" + this.key);
			handUnitBackAndForth(jobs, qt);
			qt.exit();
		}
		jobs.close();
		assertThat(SystemObjects.devShm(this.key)).isEmpty();
	}

	@Test
	void stringConstructorOfQtSixAndOurDefaultSystemVKeyTypeHandAUnitBackAndForth() {
		SystemSemaphore jobs = this.factory
			.open(new SemaphoreSettings(this.key, 1, Mode.CREATE, 0600, false, Backend.QT));
		try (PeerProcess qt = PeerProcess.python(this.python, QT_PEER, "legacy", this.key, "1")) {
			qt.expect("READY systemv:" + QtKeyFiles.qtKeyFile(QtKeyFiles.QT_SYSTEM_SEMAPHORE_PREFIX, this.key)
					+ "?legacyKey=" + this.key);
			handUnitBackAndForth(jobs, qt);
			qt.exit();
		}
	}

	/**
	 * Qt takes the only unit, we wait for it; we take it, Qt waits; then both are even.
	 */
	private static void handUnitBackAndForth(SystemSemaphore jobs, PeerProcess qt) {
		qt.call("acquire");
		assertThat(jobs.value()).isZero();
		CompletableFuture<Boolean> ours = CompletableFuture.supplyAsync(() -> jobs.tryAcquire(Duration.ofSeconds(30)));
		await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> !ours.isDone());
		qt.call("release 1");
		await().atMost(Duration.ofSeconds(5)).until(ours::isDone);
		assertThat(ours.join()).isTrue();
		qt.send("acquire");
		await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> !qt.hasOutput());
		jobs.release();
		qt.expect("OK");
		jobs.release(2);
		qt.call("acquire");
		qt.call("acquire");
		assertThat(jobs.value()).isZero();
		qt.call("release 1");
		assertThat(jobs.value()).isEqualTo(1);
	}

}
