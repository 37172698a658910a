package dev.ipcboot.autoconfigure;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.ipcboot.socket.IpcClient;
import dev.ipcboot.socket.IpcClientException;
import dev.ipcboot.socket.IpcClientTimeoutException;
import dev.ipcboot.testsupport.OurThreads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What a client does under concurrency, timeouts, restarts and failures, for both
 * transports against a real server.
 */
class SocketClientBehaviourTests {

	@TempDir
	Path dir;

	@ParameterizedTest
	@ValueSource(strings = { "local", "tcp" })
	void sixteenThreadsAtOnceNeverReceiveEachOthersReplies(String transport) throws Exception {
		Path path = this.dir.resolve("echo.sock");
		try (ClientTestServer server = ClientTestServer.start(transport, path, 0, "line")) {
			ClientContexts.runner()
				.withPropertyValues(
						ClientContexts.client("echo", transport, path, server.port(), "line", "pool-size=4"))
				.run((context) -> {
					IpcClient client = context.getBean(IpcClient.class);
					ExecutorService threads = Executors.newFixedThreadPool(16);
					try {
						CountDownLatch start = new CountDownLatch(1);
						List<Future<List<String>>> results = new ArrayList<>();
						for (int t = 0; t < 16; t++) {
							int thread = t;
							Callable<List<String>> task = () -> {
								start.await();
								List<String> mismatches = new ArrayList<>();
								for (int i = 0; i < 200; i++) {
									String payload = "thread " + thread + " request " + i;
									String reply = client.request(payload, String.class);
									if (!payload.equals(reply)) {
										mismatches.add(payload + " got " + reply);
									}
								}
								return mismatches;
							};
							results.add(threads.submit(task));
						}
						start.countDown();
						for (Future<List<String>> result : results) {
							assertThat(result.get(60, TimeUnit.SECONDS)).isEmpty();
						}
						assertThat(server.accepted()).as("connections bounded by pool-size").isLessThanOrEqualTo(4);
					}
					finally {
						threads.shutdownNow();
					}
				});
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "local", "tcp" })
	void requestTimeoutNamesClientAndTimeoutAndALateReplyNeverReachesTheNextCall(String transport) throws Exception {
		Path path = this.dir.resolve("slow.sock");
		try (ClientTestServer server = ClientTestServer.start(transport, path, 0, "line")) {
			ClientContexts.runner()
				.withPropertyValues(ClientContexts.client("slow", transport, path, server.port(), "line",
						"request-timeout=300ms", "pool-size=1"))
				.run((context) -> {
					IpcClient client = context.getBean(IpcClient.class);
					assertThatExceptionOfType(IpcClientTimeoutException.class)
						.isThrownBy(() -> client.request("late reply"))
						.withMessageContaining("'slow'")
						.withMessageContaining("300ms")
						.satisfies((ex) -> assertThat(ex.getTimeout()).isEqualTo(Duration.ofMillis(300)));
					server.releaseLateReplies();
					await().atMost(Duration.ofSeconds(5)).until(() -> server.lateAnswered() == 1);
					assertThat(client.request("next", String.class)).isEqualTo("next");
					assertThatExceptionOfType(IpcClientTimeoutException.class)
						.isThrownBy(() -> client.request("ignore me"));
					assertThat(client.request("after silence", String.class)).isEqualTo("after silence");
				});
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "local", "tcp" })
	void aServerRestartedAtTheSameAddressIsReconnectedOnTheNextCall(String transport) throws Exception {
		Path path = this.dir.resolve("restart.sock");
		ClientTestServer first = ClientContexts.startOnFixedPort(transport, path, "length-prefixed");
		// the restart must take the same port again: it is below the ephemeral range, so
		// only a process binding it by number could take it in between
		int port = first.port();
		ClientContexts.runner()
			.withPropertyValues(ClientContexts.client("restart", transport, path, port, "length-prefixed"))
			.run((context) -> {
				IpcClient client = context.getBean(IpcClient.class);
				assertThat(client.request("before", String.class)).isEqualTo("before");
				client.send("one-way");
				first.close();
				try (ClientTestServer second = ClientTestServer.start(transport, path, port, "length-prefixed")) {
					assertThat(client.request("after", String.class)).isEqualTo("after");
					assertThat(client.request("again", String.class)).isEqualTo("again");
					assertThat(second.accepted()).isEqualTo(1);
				}
			});
	}

	@ParameterizedTest
	@ValueSource(strings = { "local", "tcp" })
	void aServerRestartedBehindSeveralPooledConnectionsIsReconnectedOnTheNextCall(String transport) throws Exception {
		Path path = this.dir.resolve("pooled.sock");
		ClientTestServer first = ClientContexts.startOnFixedPort(transport, path, "length-prefixed");
		// the restart must take the same port again: it is below the ephemeral range, so
		// only a process binding it by number could take it in between
		int port = first.port();
		ClientContexts.runner()
			.withPropertyValues(
					ClientContexts.client("pooled", transport, path, port, "length-prefixed", "pool-size=4"))
			.run((context) -> {
				IpcClient client = context.getBean(IpcClient.class);
				// four requests held by the server at once open four connections
				List<CompletableFuture<String>> held = new ArrayList<>();
				for (int i = 0; i < 4; i++) {
					held.add(client.requestAsync("late " + i, String.class));
				}
				await().atMost(Duration.ofSeconds(10)).until(() -> first.received().size() == 4);
				first.releaseLateReplies();
				for (int i = 0; i < 4; i++) {
					assertThat(held.get(i).get(10, TimeUnit.SECONDS)).isEqualTo("late " + i);
				}
				assertThat(first.accepted()).isEqualTo(4);
				first.close();
				try (ClientTestServer second = ClientTestServer.start(transport, path, port, "length-prefixed")) {
					assertThat(client.request("after", String.class)).isEqualTo("after");
					assertThat(second.received())
						.as("second accepted %s first received %s failures %s", second.accepted(), first.received(),
								second.failures())
						.containsExactly("after");
					assertThat(second.accepted()).as("the three other stale connections were dropped, not tried")
						.isEqualTo(1);
					assertThat(client.request("again", String.class)).isEqualTo("again");
				}
			});
	}

	@ParameterizedTest
	@ValueSource(strings = { "local", "tcp" })
	void aServerThatStopsReadingFailsABlockedWriteWithATimeoutInsteadOfHangingTheCaller(String transport)
			throws Exception {
		Path path = this.dir.resolve("stuck.sock");
		try (NonReadingServer server = new NonReadingServer(
				"local".equals(transport) ? AFUNIXServerSocket.bindOn(AFUNIXSocketAddress.of(path))
						: new ServerSocket(0, 50, InetAddress.getLoopbackAddress()))) {
			ClientContexts.runner()
				.withPropertyValues(ClientContexts.client("stuck", transport, path, server.port(), "length-prefixed",
						"request-timeout=300ms", "max-message-size=64MB"))
				.run((context) -> {
					IpcClient client = context.getBean(IpcClient.class);
					// far more than the socket buffers hold, so the write blocks
					assertThat(server.awaitTimeout(() -> client.request(new byte[48 * 1024 * 1024])))
						.hasMessageContaining("'stuck'")
						.hasMessageContaining("not reading")
						.hasMessageContaining("300ms");
					byte[] chunk = new byte[1024 * 1024];
					assertThat(server.awaitTimeout(() -> {
						for (int i = 0; i < 200; i++) {
							client.send(chunk);
						}
					})).hasMessageContaining("not reading");
				});
			await().atMost(Duration.ofSeconds(10)).until(() -> OurThreads.alive("ipc-client-stuck").isEmpty());
		}
	}

	@Test
	void aLocalServerThatClosesAReusedConnectionUnansweredFailsTheRequestWithoutRepeatingIt() throws Exception {
		Path path = this.dir.resolve("closing.sock");
		try (ClientTestServer server = ClientTestServer.local(path, "line")) {
			ClientContexts.runner()
				.withPropertyValues(ClientContexts.client("closing", "local", path, 1, "line"))
				.run((context) -> {
					IpcClient client = context.getBean(IpcClient.class);
					assertThat(client.request("first", String.class)).isEqualTo("first");
					assertThatExceptionOfType(IpcClientException.class).isThrownBy(() -> client.request("close now"))
						.withMessageContaining("'closing'")
						.withMessageContaining("closed the connection");
					assertThat(server.received()).containsExactly("first", "close now");
					assertThat(client.request("next", String.class)).isEqualTo("next");
				});
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "line", "length-prefixed" })
	void aReplyOverMaxMessageSizeFailsThatRequestAndTheNextUsesAFreshConnection(String framing) throws Exception {
		Path path = this.dir.resolve("big.sock");
		try (ClientTestServer server = ClientTestServer.local(path, framing)) {
			ClientContexts.runner()
				.withPropertyValues(ClientContexts.client("small", "local", path, 1, framing, "max-message-size=64B"))
				.run((context) -> {
					IpcClient client = context.getBean(IpcClient.class);
					assertThatExceptionOfType(IpcClientException.class)
						.isThrownBy(() -> client.request("x".repeat(100)))
						.withMessageContaining("'small'");
					assertThat(client.request("fits", String.class)).isEqualTo("fits");
					assertThat(server.accepted()).isEqualTo(2);
				});
		}
	}

	@Test
	void connectingToALocalPathWithoutAServerFailsNamingClientAndPath() {
		Path path = this.dir.resolve("nobody.sock");
		ClientContexts.runner()
			.withPropertyValues(ClientContexts.client("absent", "local", path, 1, "line"))
			.run((context) -> assertThatExceptionOfType(IpcClientException.class)
				.isThrownBy(() -> context.getBean(IpcClient.class).request("hello"))
				.withMessageContaining("'absent'")
				.withMessageContaining("local:" + path)
				.withMessageContaining("could not connect"));
	}

	@Test
	void connectingToATcpPortWithoutAServerFailsNamingClientAndAddress() throws Exception {
		try (Socket held = ClientContexts.portNobodyListensOn()) {
			int port = held.getLocalPort();
			ClientContexts.runner()
				.withPropertyValues(ClientContexts.client("absent", "tcp", this.dir.resolve("x"), port, "line"))
				.run((context) -> assertThatExceptionOfType(IpcClientException.class)
					.isThrownBy(() -> context.getBean(IpcClient.class).send("hello"))
					.withMessageContaining("'absent'")
					.withMessageContaining("tcp:127.0.0.1:" + port));
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "local", "tcp" })
	void requestAsyncCompletesWithTheReply(String transport) throws Exception {
		Path path = this.dir.resolve("async.sock");
		try (ClientTestServer server = ClientTestServer.start(transport, path, 0, "stx-etx")) {
			ClientContexts.runner()
				.withPropertyValues(ClientContexts.client("async", transport, path, server.port(), "stx-etx"))
				.run((context) -> {
					IpcClient client = context.getBean(IpcClient.class);
					assertThat(client.requestAsync("async").get(10, TimeUnit.SECONDS)).asString().isEqualTo("async");
					assertThat(client.requestAsync(new Order(7, "tea"), Order.class).get(10, TimeUnit.SECONDS))
						.isEqualTo(new Order(7, "tea"));
				});
		}
	}

	@Test
	void objectPayloadsAreWrittenAsJsonAndRepliesReadFromJson() throws Exception {
		Path path = this.dir.resolve("json.sock");
		try (ClientTestServer server = ClientTestServer.start("local", path, 0, "line")) {
			ClientContexts.runner()
				.withPropertyValues(ClientContexts.client("json", "local", path, server.port(), "line"))
				.run((context) -> {
					IpcClient client = context.getBean(IpcClient.class);
					assertThat(client.request(new Order(42, "coffee"), String.class))
						.isEqualTo("{\"id\":42,\"item\":\"coffee\"}");
					assertThat(client.request("{\"id\":1,\"item\":\"cake\"}", Order.class))
						.isEqualTo(new Order(1, "cake"));
					assertThatExceptionOfType(IpcClientException.class)
						.isThrownBy(() -> client.request("not json", Order.class))
						.withMessageContaining("'json'")
						.withMessageContaining(Order.class.getName());
				});
		}
	}

	record Order(int id, String item) {
	}

}
