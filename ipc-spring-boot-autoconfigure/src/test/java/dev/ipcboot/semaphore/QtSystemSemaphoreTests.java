package dev.ipcboot.semaphore;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.ipcboot.semaphore.SemaphoreSettings.Backend;
import dev.ipcboot.semaphore.SemaphoreSettings.Mode;
import dev.ipcboot.testsupport.Tools;
import dev.ipcboot.testsupport.shm.PeerProcess;
import dev.ipcboot.testsupport.shm.SystemObjects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * PyQt5's QSystemSemaphore sharing a {@code qt-compatible} semaphore with us.
 */
class QtSystemSemaphoreTests {

	private static final String QT_PEER = """
			import sys
			from PyQt5.QtCore import QSystemSemaphore
			s = QSystemSemaphore(sys.argv[1], 0, QSystemSemaphore.Open)
			print("READY", flush=True)
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

	@AfterEach
	void closeFactory() {
		this.factory.close();
	}

	@Test
	void qtAndWeShareOneSemaphore() {
		String python = Tools.requirePythonModule("PyQt5.QtCore", "python3-pyqt5");
		String key = SystemObjects.uniqueKey("qtsem");
		SystemSemaphore semaphore = this.factory
			.open(new SemaphoreSettings(key, 1, Mode.CREATE, 0600, false, Backend.QT));
		try (PeerProcess qt = PeerProcess.python(python, QT_PEER, key)) {
			qt.expect("READY");
			qt.call("acquire");
			assertThat(semaphore.value()).isZero();
			CompletableFuture<Boolean> ours = CompletableFuture
				.supplyAsync(() -> semaphore.tryAcquire(Duration.ofSeconds(30)));
			await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> !ours.isDone());
			qt.call("release 1");
			await().atMost(Duration.ofSeconds(10)).until(ours::isDone);
			assertThat(ours.join()).isTrue();
			semaphore.release(2);
			qt.call("acquire");
			qt.call("acquire");
			assertThat(semaphore.value()).isZero();
			qt.exit();
		}
	}

}
