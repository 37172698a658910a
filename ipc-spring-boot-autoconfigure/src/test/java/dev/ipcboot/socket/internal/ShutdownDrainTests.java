package dev.ipcboot.socket.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ipcboot.socket.Framing;

/**
 * SIGTERM to a running server (a child JVM) lets the listener calls in flight finish and
 * writes their replies before the connections close, and says so in one line.
 */
class ShutdownDrainTests {

	private static final int SLOW_REQUESTS = 20;

	@TempDir
	Path dir;

	@Test
	void sigtermDuringTwentySlowRequestsAnswersAllTwentyAndLogsOneDrainLine() throws Exception {
		Path path = this.dir.resolve("hostile.sock");
		ExecutorService pool = Executors.newFixedThreadPool(SLOW_REQUESTS);
		try (HarnessChildJvm server = HarnessChildJvm.start(List.of("-Xmx128m"), this.dir.resolve("server.log"),
				"ipc.servers.hostile.path=" + path, "spring.lifecycle.timeout-per-shutdown-phase=30s")) {
			List<Future<String>> replies = new ArrayList<>();
			for (int i = 0; i < SLOW_REQUESTS; i++) {
				String payload = "slow:3000 #" + i;
				replies.add(pool.submit(() -> {
					try (TestClient client = TestClient.local(path, Framing.LINE)) {
						client.socket().setSoTimeout(60_000);
						return client.request(payload);
					}
				}));
			}
			// every call has started (the listener said so) before the signal
			await().atMost(Duration.ofSeconds(60))
				.until(() -> server.linesContaining("HARNESS STARTED").size() == SLOW_REQUESTS);
			server.terminate();
			List<String> answered = new ArrayList<>();
			for (Future<String> reply : replies) {
				try {
					answered.add(reply.get(60, TimeUnit.SECONDS));
				}
				catch (ExecutionException ex) {
					server.awaitExit(Duration.ofSeconds(60));
					throw new AssertionError("a slow request got no answer; the server said:\n" + server.output(), ex);
				}
			}
			assertThat(answered).hasSize(SLOW_REQUESTS).allMatch((reply) -> reply.startsWith("echo:slow:3000 #"));
			server.awaitExit(Duration.ofSeconds(60));
			assertThat(server.linesContaining("drained")).as(server.output())
				.singleElement(InstanceOfAssertFactories.STRING)
				.contains("Socket server 'hostile' stopped")
				.contains("drained " + SLOW_REQUESTS)
				.contains("cut 0");
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(path).as("socket file removed on shutdown").doesNotExist();
	}

}
