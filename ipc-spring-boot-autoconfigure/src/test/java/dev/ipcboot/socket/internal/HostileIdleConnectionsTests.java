package dev.ipcboot.socket.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipcboot.socket.Framing;

/**
 * 10,000 idle local connections to a server in a child JVM hold no thread each: the
 * server's threads of its own stay at most 32. The client ends live in another process
 * (Python), so each side has the open-file limit to itself.
 */
class HostileIdleConnectionsTests {

	@TempDir
	Path dir;

	/** Open the connections; if they cannot all connect, say what the server said. */
	private HarnessConnections open(HarnessChildJvm server, Path path, int count, byte[] data) throws IOException {
		try {
			return HarnessConnections.open(this.dir, List.of(), path.toString(), count, data);
		}
		catch (ConditionTimeoutException | AssertionError ex) {
			throw new AssertionError("a server that stopped accepting makes connect wait this long; " + "alive: "
					+ server.isAlive() + "; its output ends with:\n" + server.tail(40), ex);
		}
	}

	@Test
	void tenThousandIdleLocalConnectionsAreHeldByAtMost32ThreadsOfOurs() throws Exception {
		Path path = this.dir.resolve("hostile.sock");
		try (HarnessChildJvm server = HarnessChildJvm.start(List.of("-Xmx256m"), this.dir.resolve("server.log"),
				"ipc.servers.hostile.path=" + path, "ipc.servers.hostile.max-connections=10100",
				"ipc.servers.hostile.max-connections-per-peer=10100")) {
			HarnessChildJvm.State before = server.state();
			try (HarnessConnections idle = open(server, path, 10_000, new byte[0])) {
				assertThat(idle.stillOpen()).isEqualTo(10_000);
				HarnessChildJvm.State held = server.state();
				System.out.printf(
						"MEASURED 10,000 idle local connections: threads of ours %d (%s), RSS %+d KiB, "
								+ "heap %+d KiB%n",
						held.threadsOfOurs(), held.threadNames(), held.rssKiB() - before.rssKiB(),
						(held.heapBytes() - before.heapBytes()) / 1024);
				assertThat(held.threadsOfOurs()).as(held.threadNames()).isLessThanOrEqualTo(32);
				try (TestClient fresh = TestClient.local(path, Framing.LINE)) {
					assertThat(fresh.request("one more")).isEqualTo("echo:one more");
				}
			}
			server.terminate();
			server.awaitExit(Duration.ofSeconds(60));
		}
		assertThat(path).as("socket file removed on shutdown").doesNotExist();
	}

}
