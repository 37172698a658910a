package dev.ipcboot.socket.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.beans.factory.annotation.BeanFactoryAnnotationUtils;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.ipcboot.autoconfigure.IpcListenerAutoConfiguration;
import dev.ipcboot.autoconfigure.SocketAutoConfiguration;
import dev.ipcboot.listener.IpcListener;
import dev.ipcboot.socket.Framing;
import dev.ipcboot.socket.IpcClient;
import dev.ipcboot.socket.IpcConnection;
import dev.ipcboot.socket.IpcConnectionClosedException;
import dev.ipcboot.socket.IpcServer;
import dev.ipcboot.socket.SocketTransport;
import dev.ipcboot.testsupport.OurThreads;
import dev.ipcboot.testsupport.Tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Sockets are streams both ways, as Qt's are: a server pushes to foreign peers (socat,
 * PyQt5's {@code QLocalSocket}) with {@link IpcServer#broadcast} and
 * {@link IpcConnection#send}, and a {@code subscribe: true} client of ours receives
 * pushes and resumes after the server restarts.
 */
class DuplexForeignPeerTests {

	@TempDir
	Path dir;

	@Test
	void socatClientThatOnlyReadsReceivesABroadcast() throws Exception {
		String socat = Tools.require("socat", "socat").toString();
		Servers.echo(SocketTransport.LOCAL, Framing.LINE, this.dir).run((context) -> {
			IpcServer server = ipcServer(context, "echo");
			ForeignProcess reader = ForeignProcess
				.start(List.of(socat, "-u", "UNIX-CONNECT:" + this.dir.resolve("echo.sock"), "STDOUT"));
			await().atMost(Duration.ofSeconds(10)).until(() -> server.connections().size() == 1);
			assertThat(server.broadcast("news for everyone")).isEqualTo(1);
			server.connections().forEach(IpcConnection::close);
			assertThat(reader.output()).isEqualTo("news for everyone\n");
		});
		assertNothingOfOursLeft();
	}

	@Test
	void socatClientReceivesWhatTheServerSendsOnItsConnectionLongAfterTheReply() throws Exception {
		String socat = Tools.require("socat", "socat").toString();
		Servers.runner()
			.withBean(SubscribeListener.class)
			.withPropertyValues("ipc.servers.echo.path=" + this.dir.resolve("echo.sock"))
			.run((context) -> {
				Process peer = new ProcessBuilder(socat, "-", "UNIX-CONNECT:" + this.dir.resolve("echo.sock"))
					.redirectError(ProcessBuilder.Redirect.INHERIT)
					.start();
				try {
					List<String> lines = collectLines(peer);
					// stdin stays open: the peer is still there, it just says nothing
					// more
					peer.getOutputStream().write("subscribe\n".getBytes(StandardCharsets.UTF_8));
					peer.getOutputStream().flush();
					await().atMost(Duration.ofSeconds(10)).until(() -> lines.contains("subscribed"));
					IpcConnection connection = context.getBean(SubscribeListener.class).subscriber.get();
					assertThat(connection.isOpen()).isTrue();
					assertThat(connection.channel()).isEqualTo("echo");
					connection.send("pushed 1");
					connection.send("pushed 2");
					await().atMost(Duration.ofSeconds(10))
						.untilAsserted(() -> assertThat(lines).containsExactly("subscribed", "pushed 1", "pushed 2"));
					connection.close();
					assertThat(peer.waitFor(10, TimeUnit.SECONDS)).as("socat ends when the server closes").isTrue();
					assertThat(connection.isOpen()).isFalse();
					assertThatExceptionOfType(IpcConnectionClosedException.class)
						.isThrownBy(() -> connection.send("too late"));
				}
				finally {
					peer.destroyForcibly();
				}
			});
		assertNothingOfOursLeft();
	}

	@Test
	void qtLocalSocketReceivesPushedQDataStreamByteArrays() throws Exception {
		String python = Tools.requirePythonModule("PyQt5.QtNetwork", "python3-pyqt5");
		Path script = this.dir.resolve("receiver.py");
		Files.writeString(script, QtLocalSocketScript.connectedThen("""
				stream = QDataStream(socket)
				stream.setVersion(QDataStream.Qt_5_0)
				got = 0
				while got < 3:
				    message = QByteArray()
				    stream.startTransaction()
				    stream >> message
				    if stream.commitTransaction():
				        print(bytes(message).decode(), flush=True)
				        got += 1
				    elif not socket.waitForReadyRead(10000):
				        sys.exit("read: " + socket.errorString())
				"""));
		Servers.echo(SocketTransport.LOCAL, Framing.LENGTH_PREFIXED, this.dir).run((context) -> {
			IpcServer server = ipcServer(context, "echo");
			ForeignProcess qt = ForeignProcess
				.start(List.of(python, script.toString(), this.dir.resolve("echo.sock").toString()));
			await().atMost(Duration.ofSeconds(20)).until(() -> server.connections().size() == 1);
			assertThat(server.broadcast("first")).isEqualTo(1);
			IpcConnection connection = server.connections().iterator().next();
			connection.send("second");
			connection.send("third".getBytes(StandardCharsets.UTF_8));
			assertThat(qt.output()).isEqualTo("first\nsecond\nthird\n");
		});
		assertNothingOfOursLeft();
	}

	@ParameterizedTest
	@EnumSource(SocketTransport.class)
	void broadcastReachesHundredConnectedClients(SocketTransport transport) {
		Servers.echo(transport, Framing.LENGTH_PREFIXED, this.dir).run((context) -> {
			IpcServer server = ipcServer(context, "echo");
			List<TestClient> clients = new ArrayList<>();
			try {
				for (int i = 0; i < 100; i++) {
					clients.add(Servers.connect(context, Framing.LENGTH_PREFIXED));
				}
				await().atMost(Duration.ofSeconds(20)).until(() -> server.connections().size() == 100);
				assertThat(server.broadcast("to all")).isEqualTo(100);
				for (TestClient client : clients) {
					assertThat(client.receive()).isEqualTo("to all");
				}
				// and the request/reply path is untouched
				assertThat(clients.get(42).request("just me")).isEqualTo("echo:just me");
			}
			finally {
				for (TestClient client : clients) {
					client.close();
				}
			}
		});
		assertNothingOfOursLeft();
	}

	@Test
	void subscribedClientReceivesPushesAndResumesAfterTheServerRestartsOnTheSamePath() {
		Path path = this.dir.resolve("feed.sock");
		ConfigurableApplicationContext server = startServer(path);
		ConfigurableApplicationContext client = new SpringApplicationBuilder(FeedClient.class)
			.web(WebApplicationType.NONE)
			.logStartupInfo(false)
			.properties("ipc.clients.feed.path=" + path, "ipc.clients.feed.subscribe=true")
			.run();
		try {
			BlockingQueue<String> pushes = client.getBean(FeedListener.class).pushes;
			IpcServer feed = ipcServer(server, "feed");
			await().atMost(Duration.ofSeconds(10)).until(() -> feed.connections().size() == 1);
			assertThat(feed.broadcast("before restart")).isEqualTo(1);
			await().atMost(Duration.ofSeconds(10)).until(() -> pushes.contains("before restart"));
			IpcClient requests = BeanFactoryAnnotationUtils.qualifiedBeanOfType(client.getBeanFactory(),
					IpcClient.class, "feed");
			assertThat(new String(requests.request("ping"), StandardCharsets.UTF_8)).isEqualTo("echo:ping");

			server.close();
			assertThat(path).doesNotExist();
			server = startServer(path);
			IpcServer restarted = ipcServer(server, "feed");
			// the client reconnects with backoff (100 ms doubling to 5 s)
			await().atMost(Duration.ofSeconds(30)).until(() -> restarted.connections().size() == 1);
			assertThat(restarted.broadcast("after restart")).isEqualTo(1);
			await().atMost(Duration.ofSeconds(10)).until(() -> pushes.contains("after restart"));
			assertThat(new String(requests.request("pong"), StandardCharsets.UTF_8)).isEqualTo("echo:pong");
			assertThat(pushes).containsExactly("before restart", "after restart");
		}
		finally {
			client.close();
			server.close();
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> OurThreads.alive("ipc-").isEmpty());
		assertThat(path).doesNotExist();
	}

	private static ConfigurableApplicationContext startServer(Path path) {
		return new SpringApplicationBuilder(FeedServer.class).web(WebApplicationType.NONE)
			.logStartupInfo(false)
			.properties("ipc.servers.feed.path=" + path)
			.run();
	}

	static IpcServer ipcServer(ApplicationContext context, String name) {
		return context.getBeansOfType(IpcServer.class)
			.values()
			.stream()
			.filter((server) -> server.name().equals(name))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no IpcServer bean named " + name));
	}

	private static List<String> collectLines(Process process) {
		List<String> lines = new CopyOnWriteArrayList<>();
		Thread reader = new Thread(() -> {
			try (BufferedReader out = new BufferedReader(
					new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
				String line;
				while ((line = out.readLine()) != null) {
					lines.add(line);
				}
			}
			catch (IOException ex) {
				lines.add("read failed: " + ex);
			}
		}, "duplex-test-reader");
		reader.setDaemon(true);
		reader.start();
		return lines;
	}

	private void assertNothingOfOursLeft() {
		await().atMost(Duration.ofSeconds(10)).until(() -> OurThreads.alive("ipc-").isEmpty());
		try (var files = Files.list(this.dir)) {
			assertThat(files.filter((file) -> file.toString().endsWith(".sock"))).as("socket files left").isEmpty();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Keeps the connection of whoever says {@code subscribe}. */
	static class SubscribeListener {

		final AtomicReference<IpcConnection> subscriber = new AtomicReference<>();

		@IpcListener("echo")
		String subscribe(String payload, IpcConnection connection) {
			this.subscriber.set(connection);
			return "subscribed";
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ IpcListenerAutoConfiguration.class, SocketAutoConfiguration.class })
	static class FeedServer {

		@Bean
		FeedEcho feedEcho() {
			return new FeedEcho();
		}

	}

	static class FeedEcho {

		@IpcListener("feed")
		String echo(String payload) {
			return "echo:" + payload;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ IpcListenerAutoConfiguration.class, SocketAutoConfiguration.class })
	static class FeedClient {

		@Bean
		FeedListener feedListener() {
			return new FeedListener();
		}

	}

	static class FeedListener {

		final BlockingQueue<String> pushes = new LinkedBlockingQueue<>();

		@IpcListener("feed")
		void push(String payload) {
			this.pushes.add(payload);
		}

	}

}
