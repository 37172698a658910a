package dev.ipcboot.socket.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipcboot.socket.Framing;

/**
 * Floods of connections against a server in a child JVM with a small heap: memory follows
 * the bytes that arrived, not what a header claims, and idle connections hold no thread.
 * The client ends live in another process (Python), so each side has the open-file limit
 * to itself.
 */
class HostileConnectionFloodTests {

	private static final long MIB = 1024 * 1024;

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
	void thousandConnectionsEachSendingALengthHeaderThatClaimsMaxMessageSizeCostLessThan64MBOfHeap() throws Exception {
		Path path = this.dir.resolve("hostile.sock");
		byte[] claim = ByteBuffer.allocate(4).putInt((int) MIB).array();
		try (HarnessChildJvm server = HarnessChildJvm.start(List.of("-Xmx128m"), this.dir.resolve("server.log"),
				"ipc.servers.hostile.path=" + path, "ipc.servers.hostile.framing=length-prefixed",
				"ipc.servers.hostile.max-message-size=1MB", "ipc.servers.hostile.frame-timeout=10m",
				"ipc.servers.hostile.max-connections=2000", "ipc.servers.hostile.max-connections-per-peer=2000")) {
			HarnessChildJvm.State before = server.state();
			try (HarnessConnections flood = open(server, path, 1000, claim)) {
				// each claimed 1 MiB: 1000 MiB if the server believed them
				assertThat(flood.stillOpen()).as("the server holds all 1000 half-sent frames").isEqualTo(1000);
				HarnessChildJvm.State flooded = server.state();
				long growth = flooded.heapBytes() - before.heapBytes();
				System.out.printf("MEASURED 1000 x 1 MiB claims: heap %+d KiB, RSS %+d KiB, threads of ours %d%n",
						growth / 1024, flooded.rssKiB() - before.rssKiB(), flooded.threadsOfOurs());
				assertThat(growth).as("heap growth in the child").isLessThan(64 * MIB);
				try (TestClient fresh = TestClient.local(path, Framing.LENGTH_PREFIXED)) {
					assertThat(fresh.request("fresh client")).isEqualTo("echo:fresh client");
				}
			}
			assertThat(server.isAlive()).isTrue();
			assertThat(server.output()).doesNotContain("OutOfMemoryError");
			server.terminate();
			server.awaitExit(Duration.ofSeconds(60));
			assertThat(server.output()).doesNotContain("OutOfMemoryError");
		}
		assertThat(path).as("socket file removed on shutdown").doesNotExist();
	}

}
