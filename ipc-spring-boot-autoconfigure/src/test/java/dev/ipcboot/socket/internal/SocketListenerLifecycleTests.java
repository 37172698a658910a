package dev.ipcboot.socket.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

import dev.ipcboot.listener.IpcListener;
import dev.ipcboot.listener.IpcListenerEndpointRegistry;
import dev.ipcboot.socket.Framing;
import dev.ipcboot.socket.ServerBinding;
import dev.ipcboot.socket.SocketTransport;
import dev.ipcboot.testsupport.OurThreads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * A socket server's listener stopped, paused and resumed through the
 * {@link IpcListenerEndpointRegistry}, over real local and TCP sockets; and a subscribing
 * client's listener paused and resumed.
 */
class SocketListenerLifecycleTests {

	@TempDir
	Path dir;

	private ApplicationContextRunner server(SocketTransport transport, Class<?> listener) {
		ApplicationContextRunner runner = Servers.runner()
			.withBean(listener)
			.withPropertyValues("ipc.servers.echo.transport=" + transport.name().toLowerCase(Locale.ROOT));
		return (transport == SocketTransport.LOCAL)
				? runner.withPropertyValues("ipc.servers.echo.path=" + this.dir.resolve("echo.sock"))
				: runner.withPropertyValues("ipc.servers.echo.port=0");
	}

	private static TestClient connect(ApplicationContext context) throws IOException {
		SocketServer server = context.getBean(SocketServers.class).get("echo");
		if (server.settings().binding() instanceof ServerBinding.Local) {
			return TestClient.local(Path.of(server.address()), Framing.LINE);
		}
		return TestClient.tcp(server.port(), Framing.LINE);
	}

	@ParameterizedTest
	@EnumSource(SocketTransport.class)
	void pausedServerReadsNothingUntilResumedAndThenAnswersWhatWasSent(SocketTransport transport) {
		pauseAndResume(server(transport, Orders.class));
	}

	@Test
	void pausedServerWithEventLoopDispatchReadsNothingUntilResumed() {
		pauseAndResume(
				server(SocketTransport.LOCAL, Orders.class).withPropertyValues("ipc.servers.echo.dispatch=event-loop"));
	}

	private void pauseAndResume(ApplicationContextRunner runner) {
		runner.run((context) -> {
			IpcListenerEndpointRegistry registry = context.getBean(IpcListenerEndpointRegistry.class);
			Orders orders = context.getBean(Orders.class);
			try (TestClient client = connect(context)) {
				assertThat(client.request("one")).isEqualTo("ok:one");
				registry.pause("orders");
				assertThat(registry.isPaused("orders")).isTrue();
				assertThat(registry.isRunning("orders")).isTrue();
				client.send("two");
				try (TestClient late = connect(context)) {
					late.send("three");
					await().during(Duration.ofMillis(500))
						.atMost(Duration.ofSeconds(5))
						.untilAsserted(() -> assertThat(orders.received).containsExactly("one"));
					registry.resume("orders");
					assertThat(registry.isPaused("orders")).isFalse();
					assertThat(client.receive()).isEqualTo("ok:two");
					assertThat(late.receive()).isEqualTo("ok:three");
				}
			}
		});
	}

	@Test
	void aPeerWritingToAPausedServerIsPushedBackByTheSocketBuffers() {
		server(SocketTransport.LOCAL, Orders.class).withPropertyValues("ipc.servers.echo.max-message-size=64MB")
			.run((context) -> {
				IpcListenerEndpointRegistry registry = context.getBean(IpcListenerEndpointRegistry.class);
				registry.pause("orders");
				try (SocketChannel writer = SocketChannel
					.open(UnixDomainSocketAddress.of(this.dir.resolve("echo.sock")))) {
					writer.configureBlocking(false);
					ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
					long written = 0;
					int wrote = -1;
					// one unfinished line of at most 32 MiB: the kernel's buffers take
					// far less
					for (int i = 0; i < 512 && wrote != 0; i++) {
						chunk.clear();
						wrote = writer.write(chunk);
						written += wrote;
					}
					assertThat(wrote).as("a write that the paused server's socket refused").isZero();
					assertThat(written).isLessThan(32L * 1024 * 1024);
				}
				registry.resume("orders");
				try (TestClient client = connect(context)) {
					assertThat(client.request("after")).isEqualTo("ok:after");
				}
			});
	}

	@ParameterizedTest
	@EnumSource(SocketTransport.class)
	void stoppedServerRefusesConnectionsAndServesAgainWhenStarted(SocketTransport transport) {
		server(transport, Orders.class).run((context) -> {
			IpcListenerEndpointRegistry registry = context.getBean(IpcListenerEndpointRegistry.class);
			SocketServer server = context.getBean(SocketServers.class).get("echo");
			int port = server.port();
			registry.stop("orders");
			assertThat(registry.isRunning("orders")).isFalse();
			assertThat(server.isRunning()).isFalse();
			if (transport == SocketTransport.LOCAL) {
				assertThat(this.dir.resolve("echo.sock")).doesNotExist();
			}
			else {
				assertThatExceptionOfType(ConnectException.class).isThrownBy(() -> TestClient.tcp(port, Framing.LINE));
			}
			registry.start("orders");
			assertThat(registry.isRunning("orders")).isTrue();
			try (TestClient client = connect(context)) {
				assertThat(client.request("again")).isEqualTo("ok:again");
			}
		});
		await().atMost(Duration.ofSeconds(10)).until(() -> OurThreads.alive("ipc-").isEmpty());
		assertThat(this.dir.resolve("echo.sock")).doesNotExist();
	}

	@Test
	void listenerThatDoesNotStartAutomaticallyKeepsItsServerUnboundUntilStarted() {
		server(SocketTransport.LOCAL, LateOrders.class).run((context) -> {
			IpcListenerEndpointRegistry registry = context.getBean(IpcListenerEndpointRegistry.class);
			assertThat(registry.ids()).containsExactly("late");
			assertThat(registry.isRunning("late")).isFalse();
			assertThat(this.dir.resolve("echo.sock")).doesNotExist();
			registry.start("late");
			try (TestClient client = connect(context)) {
				assertThat(client.request("now")).isEqualTo("late:now");
			}
		});
		assertThat(this.dir.resolve("echo.sock")).doesNotExist();
	}

	@Test
	void pausedSubscriptionListenerReceivesPushesOnlyAfterItResumes() {
		Path socket = this.dir.resolve("echo.sock");
		server(SocketTransport.LOCAL, Orders.class).withBean(Feed.class)
			.withPropertyValues("ipc.clients.feed.path=" + socket, "ipc.clients.feed.subscribe=true")
			.run((context) -> {
				IpcListenerEndpointRegistry registry = context.getBean(IpcListenerEndpointRegistry.class);
				SocketIpcClient client = context.getBean("ipc.clients.feed", SocketIpcClient.class);
				SocketServer server = context.getBean(SocketServers.class).get("echo");
				Feed feed = context.getBean(Feed.class);
				await().until(() -> client.isSubscribed() && server.connections().size() == 1);
				assertThat(server.broadcast("first")).isEqualTo(1);
				await().until(() -> feed.received.equals(List.of("first")));
				registry.pause("feed");
				assertThat(server.broadcast("second")).isEqualTo(1);
				assertThat(server.broadcast("third")).isEqualTo(1);
				await().during(Duration.ofMillis(500))
					.atMost(Duration.ofSeconds(5))
					.until(() -> feed.received.equals(List.of("first")));
				registry.resume("feed");
				await().until(() -> feed.received.equals(List.of("first", "second", "third")));
				registry.stop("feed");
				assertThat(server.broadcast("fourth")).isEqualTo(1);
				await().during(Duration.ofMillis(300))
					.atMost(Duration.ofSeconds(5))
					.until(() -> feed.received.size() == 3);
				registry.start("feed");
				await().until(() -> feed.received.equals(List.of("first", "second", "third", "fourth")));
			});
		await().atMost(Duration.ofSeconds(10)).until(() -> OurThreads.alive("ipc-").isEmpty());
	}

	static class Orders {

		final List<String> received = new CopyOnWriteArrayList<>();

		@IpcListener(value = "echo", id = "orders")
		String handle(String order) {
			this.received.add(order);
			return "ok:" + order;
		}

	}

	static class LateOrders {

		@IpcListener(value = "echo", id = "late", autoStartup = false)
		String handle(String order) {
			return "late:" + order;
		}

	}

	static class Feed {

		final List<String> received = new CopyOnWriteArrayList<>();

		@IpcListener(value = "feed", id = "feed")
		void push(String payload) {
			this.received.add(payload);
		}

	}

}
