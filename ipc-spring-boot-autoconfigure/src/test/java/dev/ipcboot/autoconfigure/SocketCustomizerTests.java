package dev.ipcboot.autoconfigure;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.Ordered;

import dev.ipcboot.listener.IpcListener;
import dev.ipcboot.socket.ClientEndpoint;
import dev.ipcboot.socket.IpcClient;
import dev.ipcboot.socket.ServerBinding;
import dev.ipcboot.socket.SocketServerSettings;
import dev.ipcboot.socket.internal.SocketServers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link SocketServerCustomizer} and {@link IpcClientCustomizer} beans change the
 * settings of each entry before its server binds or its client is created, in
 * {@code @Order} order; one that throws fails start-up naming the entry. Real sockets,
 * peers on the plain JDK.
 */
class SocketCustomizerTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(IpcListenerAutoConfiguration.class, SocketAutoConfiguration.class))
		.withBean(Echo.class);

	@TempDir
	Path dir;

	private ApplicationContextRunner echoServer() {
		return this.runner.withPropertyValues("ipc.servers.echo.path=" + socket());
	}

	private Path socket() {
		return this.dir.resolve("echo.sock");
	}

	@Test
	void serverCustomizerLowersMaxMessageSizeOfTheRealServer() {
		String sixteen = "0123456789abcdef";
		echoServer().run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(exchange(sixteen)).as("without a customizer 1MB is allowed").isEqualTo("echo:" + sixteen);
		});
		echoServer().withBean(SocketServerCustomizer.class, () -> (settings) -> settings.maxMessageSize(12))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(exchange("short")).isEqualTo("echo:short");
				assertThat(exchange(sixteen)).as("a 16-byte line over the customized 12 bytes closes the connection")
					.isNull();
			});
	}

	@Test
	void serverCustomizerSetsAllowedUidsOnTheRealSocket() {
		int ownUid = ownUid();
		int otherUid = (ownUid == 65534) ? 65533 : 65534;
		echoServer().withPropertyValues("ipc.servers.echo.permissions=world")
			.withBean(SocketServerCustomizer.class,
					() -> (settings) -> settings
						.binding(((ServerBinding.Local) settings.binding()).withAllowedUids(Set.of(otherUid))))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(exchange("hello")).as("our uid %d is not the allowed %d", ownUid, otherUid).isNull();
			});
		echoServer().withPropertyValues("ipc.servers.echo.permissions=world")
			.withBean(SocketServerCustomizer.class,
					() -> (settings) -> settings
						.binding(((ServerBinding.Local) settings.binding()).withAllowedUids(Set.of(ownUid))))
			.run((context) -> assertThat(exchange("hello")).isEqualTo("echo:hello"));
	}

	@Test
	void serverCustomizersRunInOrderAndTheLastOneWins() {
		List<String> applied = new CopyOnWriteArrayList<>();
		echoServer()
			.withBean("second", SocketServerCustomizer.class, () -> new OrderedCustomizer("second", 2, 7, applied))
			.withBean("first", SocketServerCustomizer.class, () -> new OrderedCustomizer("first", 1, 5, applied))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(applied).containsExactly("first:echo:1024", "second:echo:5");
				SocketServerSettings settings = context.getBean(SocketServers.class).get("echo").settings();
				assertThat(settings.maxConnections()).isEqualTo(7);
			});
	}

	@Test
	void serverCustomizerThatThrowsFailsStartUpNamingTheServer() {
		echoServer().withBean(SocketServerCustomizer.class, () -> (settings) -> {
			throw new IllegalStateException("customizer refused " + settings.name());
		}).run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = new IpcConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis).isNotNull();
			assertThat(analysis.getDescription()).contains("Property: ipc.servers.echo")
				.contains("customizer refused echo");
			assertThat(Files.exists(socket())).as("no socket file is left").isFalse();
		});
	}

	@Test
	void serverCustomizerLeavingInvalidSettingsFailsStartUpNamingTheServer() {
		echoServer().withBean(SocketServerCustomizer.class, () -> (settings) -> settings.maxConnections(0))
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new IpcConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis).isNotNull();
				assertThat(analysis.getDescription()).contains("Property: ipc.servers.echo")
					.contains("the customized settings are invalid")
					.contains("maxConnections");
			});
	}

	@Test
	void clientCustomizerPointsTheRealClientElsewhere() {
		echoServer().withPropertyValues("ipc.clients.backend.path=" + this.dir.resolve("nobody-listens.sock"))
			.withBean(IpcClientCustomizer.class, () -> (settings) -> {
				if (settings.name().equals("backend")) {
					settings.endpoint(ClientEndpoint.local(socket())).requestTimeout(Duration.ofSeconds(7));
				}
			})
			.run((context) -> {
				assertThat(context).hasNotFailed();
				IpcClient client = context.getBean("ipc.clients.backend", IpcClient.class);
				assertThat(new String(client.request("via customizer"), StandardCharsets.UTF_8))
					.isEqualTo("echo:via customizer");
			});
	}

	@Test
	void clientCustomizerThatThrowsFailsNamingTheClient() {
		echoServer().withPropertyValues("ipc.clients.backend.path=" + socket())
			.withBean(IpcClientCustomizer.class, () -> (settings) -> {
				throw new IllegalStateException("no client " + settings.name() + " today");
			})
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new IpcConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis).isNotNull();
				assertThat(analysis.getDescription()).contains("Property: ipc.clients.backend")
					.contains("no client backend today");
			});
	}

	@Test
	void clientCustomizerCannotMakeAClientSubscribe() {
		echoServer().withPropertyValues("ipc.clients.backend.path=" + socket())
			.withBean(IpcClientCustomizer.class,
					() -> (settings) -> settings.subscription(new dev.ipcboot.socket.IpcClientSettings.Subscription(
							Duration.ofMillis(100), Duration.ofSeconds(1))))
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new IpcConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis).isNotNull();
				assertThat(analysis.getDescription()).contains("Property: ipc.clients.backend")
					.contains("does not subscribe");
			});
	}

	/**
	 * One line to the server and its reply line.
	 * @return the reply, or {@code null} when the server closed (or reset) the connection
	 * instead
	 */
	private String exchange(String line) throws IOException {
		try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket()))) {
			ByteBuffer reply = ByteBuffer.allocate(256);
			try {
				channel.write(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
				while (channel.read(reply) >= 0) {
					String text = new String(reply.array(), 0, reply.position(), StandardCharsets.UTF_8);
					if (text.endsWith("\n")) {
						return text.substring(0, text.length() - 1);
					}
				}
			}
			catch (IOException ex) {
				// the server refused the peer: a reset instead of an orderly close, or a
				// broken pipe when it closed the connection before the line was written
			}
			return null;
		}
	}

	private static int ownUid() {
		try {
			return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static class Echo {

		@IpcListener("echo")
		String echo(String payload) {
			return "echo:" + payload;
		}

	}

	record OrderedCustomizer(String label, int order, int maxConnections,
			List<String> applied) implements SocketServerCustomizer, Ordered {

		@Override
		public void customize(SocketServerSettings.Builder settings) {
			this.applied.add(this.label + ":" + settings.name() + ":" + settings.maxConnections());
			settings.maxConnections(this.maxConnections);
		}

		@Override
		public int getOrder() {
			return this.order;
		}

	}

}
