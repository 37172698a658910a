package dev.ipcboot.shm;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.ipcboot.testsupport.Tools;
import dev.ipcboot.testsupport.shm.PeerProcess;
import dev.ipcboot.testsupport.shm.SystemObjects;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Python's standard {@code multiprocessing.shared_memory} as the other process of a POSIX
 * segment: it opens {@code /dev/shm/<key>} by the key without the leading slash.
 */
class PythonSharedMemoryTests {

	/**
	 * Attach by name, print the bytes asked for, and stop Python's resource tracker from
	 * unlinking a segment this script did not create (it does so on Python before 3.13).
	 */
	private static final String READER = """
			import sys
			from multiprocessing import shared_memory, resource_tracker
			m = shared_memory.SharedMemory(sys.argv[1])
			resource_tracker.unregister(m._name, "shared_memory")
			print(bytes(m.buf[int(sys.argv[2]):int(sys.argv[2]) + int(sys.argv[3])]).decode(), m.size >= 4096)
			m.close()
			""";

	private static final String CREATOR = """
			import sys
			from multiprocessing import shared_memory
			m = shared_memory.SharedMemory(sys.argv[1], create=True, size=4096)
			m.buf[10:20] = b"from-pythn"
			print("READY", flush=True)
			sys.stdin.readline()
			m.close()
			m.unlink()
			print("GONE", flush=True)
			""";

	private final SharedMemoryFactory factory = new SharedMemoryFactory((event) -> {
	});

	@AfterEach
	void closeFactory() {
		this.factory.close();
	}

	@Test
	void pythonReadsTheBytesWeWrote() {
		String python = Tools.requirePythonModule("multiprocessing.shared_memory", "python3");
		String key = SystemObjects.uniqueKey("py-read");
		SharedMemory memory = this.factory.open(SharedMemorySettings.of(key, 4096));
		memory.write(100, "hello python".getBytes(StandardCharsets.UTF_8));
		try (PeerProcess peer = PeerProcess.python(python, READER, key, "100", "12")) {
			peer.expect("hello python True");
		}
		assertThat(SystemObjects.devShm(key)).containsExactly(key);
		memory.close();
		assertThat(SystemObjects.devShm(key)).isEmpty();
	}

	@Test
	void weReadTheBytesPythonWrote() {
		String python = Tools.requirePythonModule("multiprocessing.shared_memory", "python3");
		String key = SystemObjects.uniqueKey("py-write");
		try (PeerProcess peer = PeerProcess.python(python, CREATOR, key)) {
			peer.expect("READY");
			SharedMemory memory = this.factory.open(SharedMemorySettings.attach(key));
			assertThat(memory.size()).isEqualTo(4096);
			assertThat(new String(memory.read(10, 10), StandardCharsets.US_ASCII)).isEqualTo("from-pythn");
			memory.close();
			assertThat(SystemObjects.devShm(key)).as("attaching must not remove Python's segment").containsExactly(key);
			peer.send("done");
			peer.expect("GONE");
		}
		assertThat(SystemObjects.devShm(key)).isEmpty();
	}

}
