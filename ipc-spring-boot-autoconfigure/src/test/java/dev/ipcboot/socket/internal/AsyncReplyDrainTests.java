package dev.ipcboot.socket.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.ipcboot.autoconfigure.IpcListenerAutoConfiguration;
import dev.ipcboot.autoconfigure.SocketAutoConfiguration;
import dev.ipcboot.listener.IpcListener;
import dev.ipcboot.socket.Framing;
import dev.ipcboot.testsupport.OurThreads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A listener that returns a {@code CompletionStage} has not answered when it returns:
 * closing the context (what SIGTERM does) while its replies are pending waits for them
 * and writes every one before the connections close, in both dispatch modes.
 */
@ExtendWith(OutputCaptureExtension.class)
class AsyncReplyDrainTests {

	private static final int SLOW_CALLS = 12;

	@TempDir
	Path dir;

	@ParameterizedTest
	@ValueSource(strings = { "workers", "event-loop" })
	void closeDuringSlowAsyncRepliesAnswersAllOfThemBeforeClosing(String dispatch, CapturedOutput output)
			throws Exception {
		Path path = this.dir.resolve("async.sock");
		ExecutorService clients = Executors.newFixedThreadPool(SLOW_CALLS);
		try {
			new ApplicationContextRunner()
				.withConfiguration(
						AutoConfigurations.of(IpcListenerAutoConfiguration.class, SocketAutoConfiguration.class))
				.withBean(PromisingListener.class)
				.withPropertyValues("ipc.servers.async.path=" + path, "ipc.servers.async.dispatch=" + dispatch)
				.run((context) -> {
					PromisingListener listener = context.getBean(PromisingListener.class);
					List<Future<String>> replies = new ArrayList<>();
					for (int i = 0; i < SLOW_CALLS; i++) {
						String payload = "order-" + i;
						replies.add(clients.submit(() -> {
							try (TestClient client = TestClient.local(path, Framing.LINE)) {
								client.socket().setSoTimeout(30_000);
								return client.request(payload);
							}
						}));
					}
					// every listener has returned its unfinished stage
					await().atMost(Duration.ofSeconds(20)).until(() -> listener.returned.get() == SLOW_CALLS);
					CompletableFuture<Void> closing = CompletableFuture.runAsync(context::close);
					// the stop has begun (a local server removes its socket file first)
					await().atMost(Duration.ofSeconds(20)).until(() -> !path.toFile().exists());
					assertThat(closing).as("close waits for the promised replies").isNotDone();
					listener.release.complete(null);
					closing.get(30, TimeUnit.SECONDS);
					List<String> answered = new ArrayList<>();
					for (Future<String> reply : replies) {
						answered.add(reply.get(30, TimeUnit.SECONDS));
					}
					assertThat(answered).hasSize(SLOW_CALLS).allMatch((reply) -> reply.startsWith("done:order-"));
				});
		}
		finally {
			clients.shutdownNow();
		}
		assertThat(output)
			.contains("Socket server 'async' stopped: drained " + SLOW_CALLS + " listener call(s), cut 0");
		await().atMost(Duration.ofSeconds(10)).until(() -> OurThreads.alive("ipc-").isEmpty());
	}

	/** Answers every message later, once the test releases it, on a thread of its own. */
	static class PromisingListener {

		final CompletableFuture<Void> release = new CompletableFuture<>();

		final AtomicInteger returned = new AtomicInteger();

		@IpcListener("async")
		CompletionStage<String> answerLater(String payload) {
			CompletionStage<String> reply = this.release.thenApplyAsync((ignored) -> "done:" + payload);
			this.returned.incrementAndGet();
			return reply;
		}

	}

}
