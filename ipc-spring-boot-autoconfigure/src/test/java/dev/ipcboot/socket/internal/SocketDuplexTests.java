package dev.ipcboot.socket.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;

import dev.ipcboot.listener.IpcListener;
import dev.ipcboot.socket.Framing;
import dev.ipcboot.socket.IpcConnection;
import dev.ipcboot.socket.IpcConnectionClosedException;
import dev.ipcboot.socket.IpcServer;
import dev.ipcboot.socket.SocketConnectionOpenedEvent;
import dev.ipcboot.socket.SocketTransport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Servers talk both ways: a listener pushes on the {@link IpcConnection} its request came
 * from, the {@link IpcServer} bean broadcasts, connection events carry the connection,
 * and a subscribing client receives pushes and resumes after its server restarted. These
 * would fail if a push were lost, reached the wrong peer, or a closed connection took
 * one.
 */
class SocketDuplexTests {

	@TempDir
	Path dir;

	@ParameterizedTest
	@EnumSource(SocketTransport.class)
	void listenerPushesOnItsConnectionAfterTheReplyAndAClosedConnectionRefusesMore(SocketTransport transport) {
		server(transport).withBean(Pusher.class).run((context) -> {
			try (TestClient client = Servers.connect(context, Framing.LINE)) {
				client.send("subscribe");
				assertThat(List.of(client.receive(), client.receive(), client.receive())).containsExactly("push 1",
						"push 2", "echo:subscribe");
				IpcConnection connection = context.getBean(Pusher.class).connections.get(0);
				assertThat(connection.isOpen()).isTrue();
				assertThat(connection.channel()).isEqualTo("echo");
				connection.close();
				assertThat(connection.isOpen()).isFalse();
				assertThatExceptionOfType(IpcConnectionClosedException.class).isThrownBy(() -> connection.send("late"));
				assertThat(client.socket().getInputStream().read()).isEqualTo(-1);
			}
		});
	}

	@ParameterizedTest
	@EnumSource(SocketTransport.class)
	void broadcastReachesEveryOpenConnectionOfTheQualifiedServerBean(SocketTransport transport) {
		server(transport).withBean(Broadcaster.class).run((context) -> {
			List<TestClient> clients = new ArrayList<>();
			try {
				for (int i = 0; i < 5; i++) {
					TestClient client = Servers.connect(context, Framing.LINE);
					clients.add(client);
					assertThat(client.request("hello " + i)).isEqualTo("echo:hello " + i);
				}
				IpcServer server = context.getBean(Broadcaster.class).server;
				assertThat(server.name()).isEqualTo("echo");
				assertThat(server.connections()).hasSize(5);
				assertThat(server.broadcast("news")).isEqualTo(5);
				for (TestClient client : clients) {
					assertThat(client.receive()).isEqualTo("news");
				}
				assertThat(context.getBean(Broadcaster.class).opened).hasSize(5)
					.allSatisfy((connection) -> assertThat(connection.isOpen()).isTrue());
			}
			finally {
				for (TestClient client : clients) {
					client.close();
				}
			}
		});
	}

	@Test
	void subscribingClientReceivesPushesKeepsRequestingAndResumesAfterTheServerRestarts() {
		Path socket = this.dir.resolve("echo.sock");
		Servers.echo(SocketTransport.LOCAL, Framing.LINE, this.dir)
			.withBean(Feed.class)
			.withPropertyValues("ipc.clients.feed.path=" + socket, "ipc.clients.feed.subscribe=true")
			.run((context) -> {
				SocketIpcClient client = context.getBean("ipc.clients.feed", SocketIpcClient.class);
				SocketServer server = context.getBean(SocketServers.class).get("echo");
				await().until(() -> client.isSubscribed() && server.connections().size() == 1);
				assertThat(server.broadcast("first")).isEqualTo(1);
				Feed feed = context.getBean(Feed.class);
				await().until(() -> feed.received.contains("first"));
				assertThat(client.request("ping", String.class)).isEqualTo("echo:ping");
				server.stop();
				server.start();
				await().until(() -> client.isSubscribed() && server.connections().size() == 1);
				assertThat(server.broadcast("second")).isEqualTo(1);
				await().until(() -> feed.received.contains("second"));
				assertThat(client.request("pong", String.class)).isEqualTo("echo:pong");
			});
	}

	private ApplicationContextRunner server(SocketTransport transport) {
		ApplicationContextRunner runner = Servers.runner()
			.withPropertyValues("ipc.servers.echo.transport=" + transport.name().toLowerCase(Locale.ROOT));
		return (transport == SocketTransport.LOCAL)
				? runner.withPropertyValues("ipc.servers.echo.path=" + this.dir.resolve("echo.sock"))
				: runner.withPropertyValues("ipc.servers.echo.port=0");
	}

	/** Pushes twice on the connection, then replies. */
	static class Pusher {

		final List<IpcConnection> connections = new CopyOnWriteArrayList<>();

		@IpcListener("echo")
		String echo(String payload, IpcConnection connection) {
			this.connections.add(connection);
			connection.send("push 1");
			connection.send("push 2".getBytes());
			return "echo:" + payload;
		}

	}

	/** Holds the server bean and the connections its opened events carried. */
	static class Broadcaster implements ApplicationListener<SocketConnectionOpenedEvent> {

		final IpcServer server;

		final List<IpcConnection> opened = new CopyOnWriteArrayList<>();

		Broadcaster(@Qualifier("echo") IpcServer server) {
			this.server = server;
		}

		@IpcListener("echo")
		String echo(String payload) {
			return "echo:" + payload;
		}

		@Override
		public void onApplicationEvent(SocketConnectionOpenedEvent event) {
			this.opened.add(event.connection());
		}

	}

	/** Receives the pushes of the subscribing client {@code feed}. */
	static class Feed {

		final List<String> received = new CopyOnWriteArrayList<>();

		@IpcListener("feed")
		void push(String payload) {
			this.received.add(payload);
		}

	}

}
