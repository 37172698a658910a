package dev.ipcboot.socket.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.ipcboot.listener.IpcListener;
import dev.ipcboot.socket.Framing;
import dev.ipcboot.socket.SocketTransport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many concurrent connections each get exactly their own replies, and a slow listener
 * call delays only its own connection.
 */
class SocketServerLoadTests {

	private static final int CLIENTS = 100;

	private static final int REQUESTS = 50;

	@TempDir
	Path dir;

	@ParameterizedTest
	@EnumSource(SocketTransport.class)
	void hundredConcurrentClientsEachGetTheRepliesToTheirOwnRequests(SocketTransport transport) {
		Servers.echo(transport, Framing.LENGTH_PREFIXED, this.dir).run((context) -> {
			ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
			try {
				CountDownLatch go = new CountDownLatch(1);
				List<Future<Integer>> results = new ArrayList<>();
				for (int c = 0; c < CLIENTS; c++) {
					int client = c;
					results.add(pool.submit(() -> {
						try (TestClient connection = Servers.connect(context, Framing.LENGTH_PREFIXED)) {
							go.await();
							int matched = 0;
							for (int r = 0; r < REQUESTS; r++) {
								String payload = "client " + client + " request " + r + " " + UUID.randomUUID();
								assertThat(connection.request(payload)).isEqualTo("echo:" + payload);
								matched++;
							}
							return matched;
						}
					}));
				}
				go.countDown();
				int total = 0;
				for (Future<Integer> result : results) {
					total += result.get(60, TimeUnit.SECONDS);
				}
				assertThat(total).isEqualTo(CLIENTS * REQUESTS);
			}
			finally {
				pool.shutdownNow();
			}
		});
	}

	@Test
	void slowListenerCallDoesNotStallOtherConnections() {
		SlowListener.release = new CountDownLatch(1);
		Servers.runner()
			.withBean(SlowListener.class)
			.withPropertyValues("ipc.servers.echo.path=" + this.dir.resolve("echo.sock"))
			.run((context) -> {
				try (TestClient slow = Servers.connect(context, Framing.LINE);
						TestClient quick = Servers.connect(context, Framing.LINE)) {
					slow.send("wait");
					assertThat(quick.request("quick")).isEqualTo("done:quick");
					SlowListener.release.countDown();
					assertThat(slow.receive()).isEqualTo("done:wait");
				}
			});
	}

	@Test
	void asyncReplyIsWrittenWhenTheFutureCompletesOnAnotherThread() {
		Servers.runner()
			.withBean(AsyncListener.class)
			.withPropertyValues("ipc.servers.echo.transport=tcp")
			.run((context) -> {
				try (TestClient client = Servers.connect(context, Framing.LINE)) {
					assertThat(client.request("later")).isEqualTo("async:later");
					assertThat(client.request("again")).isEqualTo("async:again");
				}
			});
	}

	static class AsyncListener {

		@IpcListener("echo")
		CompletableFuture<String> handle(String payload) {
			return CompletableFuture.supplyAsync(() -> "async:" + payload,
					CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS));
		}

	}

	static class SlowListener {

		static volatile CountDownLatch release = new CountDownLatch(0);

		@IpcListener("echo")
		String handle(String payload) throws InterruptedException {
			if (payload.equals("wait")) {
				release.await(30, TimeUnit.SECONDS);
			}
			return "done:" + payload;
		}

	}

}
