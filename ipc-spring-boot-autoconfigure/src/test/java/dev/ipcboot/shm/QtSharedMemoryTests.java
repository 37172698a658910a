package dev.ipcboot.shm;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.ipcboot.shm.SharedMemorySettings.Backend;
import dev.ipcboot.shm.SharedMemorySettings.Mode;
import dev.ipcboot.testsupport.Tools;
import dev.ipcboot.testsupport.shm.PeerProcess;
import dev.ipcboot.testsupport.shm.SystemObjects;
import dev.ipcboot.semaphore.internal.QtKeyFiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * PyQt5's QSharedMemory (Qt 5.15) as the other process of a {@code qt-compatible}
 * segment: same key file, same System V segment, same lock, in both directions.
 */
class QtSharedMemoryTests {

	/** A QSharedMemory obeying one command per line, answering OK or ERROR. */
	private static final String QT_PEER = """
			import sys
			from PyQt5.QtCore import QSharedMemory
			m = QSharedMemory(sys.argv[1])
			def answer(ok, text=""):
			    print(("OK " + text) if ok else ("ERROR " + m.errorString()), flush=True)
			print("READY", flush=True)
			for line in sys.stdin:
			    w = line.split()
			    if w[0] == "create":
			        answer(m.create(int(w[1])), m.nativeKey())
			    elif w[0] == "attach":
			        answer(m.attach(), m.nativeKey() + " " + str(m.size()))
			    elif w[0] == "lock":
			        answer(m.lock())
			    elif w[0] == "unlock":
			        answer(m.unlock())
			    elif w[0] == "read":
			        o, n = int(w[1]), int(w[2])
			        answer(True, m.constData().asstring(m.size())[o:o + n].decode())
			    elif w[0] == "write":
			        p = m.data()
			        p.setsize(m.size())
			        b = w[2].encode()
			        p[int(w[1]):int(w[1]) + len(b)] = b
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
	void requireQt() {
		this.python = Tools.requirePythonModule("PyQt5.QtCore", "python3-pyqt5");
		this.key = SystemObjects.uniqueKey("qt");
	}

	@AfterEach
	void closeFactory() {
		this.factory.close();
	}

	private SharedMemorySettings settings(long size, Mode mode) {
		return new SharedMemorySettings(this.key, size, mode, SharedMemorySettings.Access.READ_WRITE, 0600, false,
				Backend.QT);
	}

	private PeerProcess qt() {
		PeerProcess peer = PeerProcess.python(this.python, QT_PEER, this.key);
		peer.expect("READY");
		return peer;
	}

	@Test
	void qtAttachesToOurSegmentAndSeesOurBytes() {
		SharedMemory memory = this.factory.open(settings(4096, Mode.CREATE));
		memory.write(0, "from-java".getBytes(StandardCharsets.UTF_8));
		try (PeerProcess qt = qt()) {
			assertThat(qt.call("attach")).isEqualTo(memory.nativeKey() + " 4096");
			assertThat(qt.call("read 0 9")).isEqualTo("from-java");
			qt.call("write 20 from-qt");
			assertThat(new String(memory.read(20, 7), StandardCharsets.UTF_8)).isEqualTo("from-qt");
			qt.call("detach");
		}
		memory.close();
		assertThat(Path.of(memory.nativeKey())).doesNotExist();
		assertThat(SystemObjects.tempFiles(QtKeyFiles.qtKeyFile("", this.key).getFileName().toString())).isEmpty();
	}

	@Test
	void weAttachToQtsSegmentAndSeeItsBytes() {
		try (PeerProcess qt = qt()) {
			String nativeKey = qt.call("create 8192");
			qt.call("write 5 hello-from-qt");
			SharedMemory memory = this.factory.open(settings(0, Mode.ATTACH));
			assertThat(memory.nativeKey()).isEqualTo(nativeKey);
			assertThat(memory.size()).isEqualTo(8192);
			assertThat(new String(memory.read(5, 13), StandardCharsets.UTF_8)).isEqualTo("hello-from-qt");
			memory.write(100, "java".getBytes(StandardCharsets.UTF_8));
			assertThat(qt.call("read 100 4")).isEqualTo("java");
			memory.close();
			assertThat(Path.of(nativeKey)).as("Qt is still attached").exists();
			qt.call("detach");
			assertThat(Path.of(nativeKey)).as("the last to detach removes it, as in Qt").doesNotExist();
			qt.exit();
			assertThat(SystemObjects.tempFiles(QtKeyFiles.qtKeyFile("", this.key).getFileName().toString())).isEmpty();
		}
	}

	@Test
	void whileQtHoldsTheLockOursWaits() {
		SharedMemory memory = this.factory.open(settings(64, Mode.CREATE_OR_ATTACH));
		try (PeerProcess qt = qt()) {
			qt.call("attach");
			qt.call("lock");
			CompletableFuture<Void> ours = CompletableFuture.runAsync(memory::lock);
			await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(2)).until(() -> !ours.isDone());
			qt.call("unlock");
			await().atMost(Duration.ofSeconds(5)).until(ours::isDone);
			memory.unlock();
			qt.call("detach");
		}
	}

	@Test
	void whileWeHoldTheLockQtWaits() {
		SharedMemory memory = this.factory.open(settings(64, Mode.CREATE_OR_ATTACH));
		try (PeerProcess qt = qt()) {
			qt.call("attach");
			memory.lock();
			qt.send("lock");
			await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(2)).until(() -> !qt.hasOutput());
			memory.unlock();
			qt.expect("OK ");
			qt.call("unlock");
			qt.call("detach");
		}
	}

	@Test
	void qtKilledWhileHoldingTheLockDoesNotBlockUs() {
		SharedMemory memory = this.factory.open(settings(64, Mode.CREATE_OR_ATTACH));
		try (PeerProcess qt = qt()) {
			qt.call("attach");
			qt.call("lock");
			CompletableFuture<Void> ours = CompletableFuture.runAsync(memory::lock);
			await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !ours.isDone());
			qt.kill9();
			await().atMost(Duration.ofSeconds(10)).until(ours::isDone);
			memory.unlock();
		}
	}

}
