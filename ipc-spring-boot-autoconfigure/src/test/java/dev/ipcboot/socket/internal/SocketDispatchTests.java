package dev.ipcboot.socket.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.ipcboot.autoconfigure.IpcListenerAutoConfiguration;
import dev.ipcboot.autoconfigure.SocketAutoConfiguration;
import dev.ipcboot.listener.IpcListener;
import dev.ipcboot.socket.Framing;
import dev.ipcboot.testsupport.OurThreads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Where a server calls its listener: on the engine's workers by default, on the event
 * loop that read the message with {@code dispatch: event-loop}; either way each
 * connection's messages are handled one at a time and in order, and shutdown answers what
 * was read.
 */
class SocketDispatchTests {

	@TempDir
	Path dir;

	private ApplicationContextRunner runner(String dispatch) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(IpcListenerAutoConfiguration.class, SocketAutoConfiguration.class))
			.withBean(ThreadRecorder.class)
			.withPropertyValues("ipc.servers.who.path=" + this.dir.resolve("who.sock"),
					"ipc.servers.who.dispatch=" + dispatch);
	}

	@Test
	void listenerRunsOnAWorkerByDefault() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(IpcListenerAutoConfiguration.class, SocketAutoConfiguration.class))
			.withBean(ThreadRecorder.class)
			.withPropertyValues("ipc.servers.who.path=" + this.dir.resolve("who.sock"))
			.run((context) -> {
				try (TestClient client = TestClient.local(this.dir.resolve("who.sock"), Framing.LINE)) {
					assertThat(client.request("m0")).isEqualTo("m0");
				}
				assertThat(context.getBean(ThreadRecorder.class).threads).singleElement()
					.asString()
					.startsWith("ipc-worker-");
			});
	}

	@Test
	void eventLoopDispatchRunsTheListenerOnTheEventLoopAndAnswersInOrder() {
		runner("event-loop").run((context) -> {
			try (TestClient client = TestClient.local(this.dir.resolve("who.sock"), Framing.LINE)) {
				ByteArrayOutputStream burst = new ByteArrayOutputStream();
				for (int i = 0; i < 200; i++) {
					burst.writeBytes(("m" + i + "\n").getBytes(StandardCharsets.UTF_8));
				}
				client.writeRaw(burst.toByteArray());
				List<String> replies = new ArrayList<>();
				for (int i = 0; i < 200; i++) {
					replies.add(client.receive());
				}
				assertThat(replies).containsExactlyElementsOf(
						java.util.stream.IntStream.range(0, 200).mapToObj((i) -> "m" + i).toList());
			}
			ThreadRecorder recorder = context.getBean(ThreadRecorder.class);
			assertThat(recorder.threads).hasSize(200).allSatisfy((name) -> assertThat(name).startsWith("ipc-io-"));
			assertThat(recorder.messages).as("handled one at a time, in order")
				.containsExactlyElementsOf(java.util.stream.IntStream.range(0, 200).mapToObj((i) -> "m" + i).toList());
		});
		await().atMost(Duration.ofSeconds(10)).until(() -> OurThreads.alive("ipc-").isEmpty());
		assertThat(this.dir.resolve("who.sock")).doesNotExist();
	}

	@Test
	void eventLoopRepliesLargerThanTheSocketBuffersArriveWholeAndInOrder() {
		// a reply on the loop goes to the socket at once when nothing waits before it;
		// what
		// the socket does not take, and every reply behind it, goes through the outbound
		// buffer: 300 KB replies, more than a local socket's buffers, written back to
		// back
		runner("event-loop").run((context) -> {
			try (TestClient client = TestClient.local(this.dir.resolve("who.sock"), Framing.LINE)) {
				List<String> sent = java.util.stream.IntStream.range(0, 6)
					.mapToObj((i) -> "m" + i + ":" + String.valueOf((char) ('a' + i)).repeat(300_000))
					.toList();
				java.util.concurrent.CompletableFuture<Void> writing = java.util.concurrent.CompletableFuture
					.runAsync(() -> {
						try {
							for (String message : sent) {
								client.send(message);
							}
						}
						catch (java.io.IOException ex) {
							throw new java.io.UncheckedIOException(ex);
						}
					});
				List<String> replies = new ArrayList<>();
				for (int i = 0; i < sent.size(); i++) {
					replies.add(client.receive());
				}
				writing.get(10, java.util.concurrent.TimeUnit.SECONDS);
				assertThat(replies).containsExactlyElementsOf(sent);
			}
		});
	}

	@Test
	void unknownDispatchFailsStartUpNamingTheProperty() {
		runner("inline").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasStackTraceContaining("ipc.servers.who.dispatch")
				.rootCause()
				.hasMessageContaining("inline");
		});
	}

	/** Echoes each message and records the thread it ran on. */
	@Test
	void aFloodOfFramesFromManyConnectionsWhileEveryWorkerIsBlockedQueuesOneWorkerTaskPerConnection() throws Exception {
		// the engine's worker queue has no bound of its own: a connection queues its
		// frames
		// itself and gives the workers one task for all of them, so the queue holds at
		// most
		// one task per connection (max-connections) however many frames arrive
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(IpcListenerAutoConfiguration.class, SocketAutoConfiguration.class))
			.withBean(BlockingListener.class)
			.withPropertyValues("ipc.servers.slow.path=" + this.dir.resolve("slow.sock"), "ipc.socket.worker-threads=1")
			.run((context) -> {
				BlockingListener listener = context.getBean(BlockingListener.class);
				WorkerPool pool = (WorkerPool) context.getBean(SocketEngine.class).workers();
				List<TestClient> clients = new ArrayList<>();
				try {
					for (int c = 0; c < 20; c++) {
						TestClient client = TestClient.local(this.dir.resolve("slow.sock"), Framing.LINE);
						clients.add(client);
						ByteArrayOutputStream burst = new ByteArrayOutputStream();
						for (int i = 0; i < 30; i++) {
							burst.writeBytes(("c" + c + "m" + i + "\n").getBytes(StandardCharsets.UTF_8));
						}
						client.writeRaw(burst.toByteArray());
					}
					// one connection's task runs (blocked in the listener), the other 19
					// wait
					await().atMost(Duration.ofSeconds(20))
						.until(() -> listener.calls.get() == 1 && pool.queued() == 19);
					assertThat(pool.queued()).as("600 frames, 20 connections").isEqualTo(19);
					assertThat(pool.threads()).isEqualTo(1);
					listener.release.countDown();
					for (TestClient client : clients) {
						assertThat(client.receive()).startsWith("c");
					}
				}
				finally {
					listener.release.countDown();
					for (TestClient client : clients) {
						client.close();
					}
				}
			});
	}

	static class ThreadRecorder {

		final List<String> threads = new CopyOnWriteArrayList<>();

		final List<String> messages = new CopyOnWriteArrayList<>();

		@IpcListener("who")
		String record(String message) {
			this.threads.add(Thread.currentThread().getName());
			this.messages.add(message);
			return message;
		}

	}

	static class BlockingListener {

		final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);

		final java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();

		@IpcListener("slow")
		String hold(String message) throws InterruptedException {
			this.calls.incrementAndGet();
			this.release.await();
			return message;
		}

	}

}
