package dev.ipcboot.socket.shm.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;
import org.springframework.messaging.handler.annotation.Header;

import dev.ipcboot.autoconfigure.IpcListenerAutoConfiguration;
import dev.ipcboot.autoconfigure.SocketAutoConfiguration;
import dev.ipcboot.socket.SocketHeaders;
import dev.ipcboot.listener.IpcListener;
import dev.ipcboot.socket.IpcClient;
import dev.ipcboot.socket.IpcClientException;
import dev.ipcboot.socket.IpcConnection;
import dev.ipcboot.socket.IpcServer;
import dev.ipcboot.socket.SocketConnectionClosedEvent;
import dev.ipcboot.socket.SocketConnectionEvent;
import dev.ipcboot.socket.SocketConnectionFailedEvent;
import dev.ipcboot.socket.SocketConnectionOpenedEvent;
import dev.ipcboot.socket.SocketServerStartedEvent;
import dev.ipcboot.socket.SocketServerStoppedEvent;
import dev.ipcboot.testsupport.OurThreads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * What an {@code @IpcListener} server and an {@code IpcClient} do the same on
 * {@code transport: local} and {@code transport: shm}: configured the same way but for
 * the transport, they answer alike, pass the same headers and the connection, publish the
 * same events, close only the connection whose listener failed, and leave nothing behind
 * when the context closes.
 */
class ChannelTransportContractTests {

	@TempDir
	Path dir;

	private ApplicationContextRunner runner(String transport) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(IpcListenerAutoConfiguration.class, SocketAutoConfiguration.class))
			.withBean(Orders.class)
			.withBean(Events.class)
			.withPropertyValues("ipc.servers.orders.transport=" + transport,
					"ipc.servers.orders.path=" + this.dir.resolve("orders.sock"),
					"ipc.clients.orders.transport=" + transport,
					"ipc.clients.orders.path=" + this.dir.resolve("orders.sock"), "ipc.clients.orders.pool-size=2");
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "local", "shm" })
	void requestsAreAnsweredWithTheKernelsPeerCredentialsAndTheConnection(String transport) {
		runner(transport).run((context) -> {
			assertThat(context).hasNotFailed();
			IpcClient client = context.getBean("ipc.clients.orders", IpcClient.class);
			assertThat(client.request("tea", String.class)).isEqualTo("TEA from uid " + uid());
			assertThat(client.request(new Order("milk", 2), Order.class)).isEqualTo(new Order("MILK", 2));
			Orders orders = context.getBean(Orders.class);
			assertThat(orders.connections).isNotEmpty().allSatisfy((connection) -> {
				assertThat(connection.channel()).isEqualTo("orders");
				assertThat(connection.id()).isNotBlank();
			});
			assertThat(context.getBean("ipc.servers.orders", IpcServer.class).connections()).isNotEmpty();
		});
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "local", "shm" })
	void aFailingListenerClosesOnlyItsConnectionWithTheSameEvents(String transport) {
		runner(transport).run((context) -> {
			IpcClient client = context.getBean("ipc.clients.orders", IpcClient.class);
			Events events = context.getBean(Events.class);
			assertThatExceptionOfType(IpcClientException.class).isThrownBy(() -> client.request("boom"));
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(events.failed()).singleElement()
					.satisfies((event) -> assertThat(event.reason()).contains("listener")));
			assertThat(client.request("after", String.class)).startsWith("AFTER");
			assertThat(events.kinds()).startsWith(SocketServerStartedEvent.class.getSimpleName(),
					SocketConnectionOpenedEvent.class.getSimpleName());
			assertThat(events.kinds()).contains(SocketConnectionClosedEvent.class.getSimpleName());
		});
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "local", "shm" })
	void aSubscribingClientsListenerGetsWhatTheServerPushesAndItsRepliesGoBack(String transport) {
		runner(transport).withBean(Feed.class)
			.withPropertyValues("ipc.clients.feed.transport=" + transport,
					"ipc.clients.feed.path=" + this.dir.resolve("orders.sock"), "ipc.clients.feed.subscribe=true")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				IpcServer server = context.getBean("ipc.servers.orders", IpcServer.class);
				await().atMost(Duration.ofSeconds(10)).until(() -> !server.connections().isEmpty());
				assertThat(server.broadcast("tick 1")).isEqualTo(1);
				assertThat(server.broadcast("tick 2")).isEqualTo(1);
				Feed feed = context.getBean(Feed.class);
				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(feed.pushes).containsExactly("tick 1", "tick 2"));
				// the feed listener answers each push; the server's listener sees the
				// answers
				Orders orders = context.getBean(Orders.class);
				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(orders.seen).contains("got tick 1", "got tick 2"));
			});
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "local", "shm" })
	void concurrentCallersGetTheirOwnReplies(String transport) {
		runner(transport).run((context) -> {
			IpcClient client = context.getBean("ipc.clients.orders", IpcClient.class);
			List<Thread> threads = new ArrayList<>();
			List<String> wrong = new CopyOnWriteArrayList<>();
			for (int t = 0; t < 4; t++) {
				int n = t;
				Thread thread = new Thread(() -> {
					for (int i = 0; i < 100; i++) {
						String reply = client.request("t" + n + "-" + i, String.class);
						if (!reply.startsWith(("t" + n + "-" + i).toUpperCase() + " ")) {
							wrong.add(reply);
						}
					}
				});
				thread.start();
				threads.add(thread);
			}
			for (Thread thread : threads) {
				thread.join(60_000);
			}
			assertThat(wrong).isEmpty();
		});
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "local", "shm" })
	void closingTheContextLeavesNoSocketFileThreadOrSharedMemory(String transport) throws IOException {
		long before = ShmServerTests.ourSharedMemoryDescriptors();
		List<String> threadsBefore = OurThreads.alive("ipc-");
		Events[] kept = new Events[1];
		runner(transport).withBean(Feed.class)
			.withPropertyValues("ipc.clients.feed.transport=" + transport,
					"ipc.clients.feed.path=" + this.dir.resolve("orders.sock"), "ipc.clients.feed.subscribe=true")
			.run((context) -> {
				kept[0] = context.getBean(Events.class);
				assertThat(context.getBean("ipc.clients.orders", IpcClient.class).request("one", String.class))
					.startsWith("ONE");
				IpcServer server = context.getBean("ipc.servers.orders", IpcServer.class);
				await().atMost(Duration.ofSeconds(10)).until(() -> server.connections().size() >= 2);
			});
		assertThat(this.dir.resolve("orders.sock")).doesNotExist();
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(OurThreads.alive("ipc-shm-")).isEmpty();
			assertThat(OurThreads.alive("ipc-client-feed")).isEmpty();
			assertThat(ShmServerTests.ourSharedMemoryDescriptors()).isEqualTo(before);
		});
		assertThat(kept[0].kinds()).contains(SocketServerStoppedEvent.class.getSimpleName());
		assertThat(threadsBefore).isNotNull();
		assertThat(Files.list(this.dir)).isEmpty();
	}

	static int uid() throws IOException {
		return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue();
	}

	record Order(String item, int quantity) {
	}

	static class Orders {

		final List<IpcConnection> connections = new CopyOnWriteArrayList<>();

		final List<String> seen = new CopyOnWriteArrayList<>();

		@IpcListener("orders")
		Object order(byte[] payload, @Header(SocketHeaders.PEER_UID) Integer uid, IpcConnection connection) {
			this.connections.add(connection);
			String text = new String(payload, StandardCharsets.UTF_8);
			this.seen.add(text);
			if (text.startsWith("got ")) {
				return null;
			}
			if (text.equals("boom")) {
				throw new IllegalStateException("listener asked to fail");
			}
			if (text.startsWith("{")) {
				return text.replace("milk", "MILK").getBytes(StandardCharsets.UTF_8);
			}
			return (text.toUpperCase() + " from uid " + uid).getBytes(StandardCharsets.UTF_8);
		}

	}

	static class Feed {

		final List<String> pushes = new CopyOnWriteArrayList<>();

		@IpcListener("feed")
		String push(String push) {
			this.pushes.add(push);
			return "got " + push;
		}

	}

	static class Events implements ApplicationListener<org.springframework.context.ApplicationEvent> {

		final List<Object> all = new CopyOnWriteArrayList<>();

		@Override
		public void onApplicationEvent(org.springframework.context.ApplicationEvent event) {
			if (event instanceof SocketConnectionEvent || event instanceof SocketServerStartedEvent
					|| event instanceof SocketServerStoppedEvent) {
				this.all.add(event);
			}
		}

		List<SocketConnectionFailedEvent> failed() {
			return this.all.stream()
				.filter(SocketConnectionFailedEvent.class::isInstance)
				.map(SocketConnectionFailedEvent.class::cast)
				.toList();
		}

		List<String> kinds() {
			return this.all.stream().map((event) -> event.getClass().getSimpleName()).toList();
		}

	}

}
