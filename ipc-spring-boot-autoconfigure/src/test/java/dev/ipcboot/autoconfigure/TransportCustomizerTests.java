package dev.ipcboot.autoconfigure;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.Ordered;

import dev.ipcboot.listener.IpcListener;
import dev.ipcboot.socket.IpcClient;
import dev.ipcboot.socket.IpcServer;
import dev.ipcboot.socket.shm.ShmServerSettings;
import dev.ipcboot.socket.udp.internal.UdpServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link UdpServerCustomizer}, {@link UdpClientCustomizer}, {@link ShmServerCustomizer}
 * and {@link ShmClientCustomizer} beans change the settings of each
 * {@code transport: udp} and {@code transport: shm} entry before its server binds or its
 * client is created, in {@code @Order} order; one that throws, or leaves invalid
 * settings, fails naming the entry. Real UDP sockets on loopback and real shared-memory
 * rings.
 */
class TransportCustomizerTests {

	@TempDir
	Path dir;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(IpcListenerAutoConfiguration.class, SocketAutoConfiguration.class,
				IpcMetricsAutoConfiguration.class))
		.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
		.withBean(Echo.class);

	private ApplicationContextRunner udp() {
		return this.runner.withPropertyValues("ipc.servers.quotes.transport=udp");
	}

	private ApplicationContextRunner shm() {
		return this.runner.withPropertyValues("ipc.servers.quotes.transport=shm", "ipc.servers.quotes.path=" + socket(),
				"ipc.clients.quotes.transport=shm", "ipc.clients.quotes.path=" + socket());
	}

	private Path socket() {
		return this.dir.resolve("quotes.sock");
	}

	@Test
	void udpServerCustomizerLowersMaxMessageSizeOfTheRealServer() {
		udp().withBean(UdpServerCustomizer.class, () -> (settings) -> settings.maxMessageSize(16)).run((context) -> {
			assertThat(context).hasNotFailed();
			UdpServer server = (UdpServer) context.getBean("ipc.servers.quotes", IpcServer.class);
			assertThat(exchange(server.port(), "eur")).as("a short datagram is answered").isEqualTo("quote:eur");
			send(server.port(), new byte[17]);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			Awaitility.await()
				.atMost(Duration.ofSeconds(10))
				.until(() -> registry.find("ipc.connection.failures")
					.tag("channel", "quotes")
					.tag("reason", "oversized-datagram")
					.counter() != null);
		});
		udp().run((context) -> {
			UdpServer server = (UdpServer) context.getBean("ipc.servers.quotes", IpcServer.class);
			String seventeen = "0123456789abcdefg";
			assertThat(exchange(server.port(), seventeen)).as("without a customizer 17 bytes are answered")
				.isEqualTo("quote:" + seventeen);
		});
	}

	@Test
	void udpClientCustomizerLowersMaxMessageSizeOfTheRealClient() {
		udp().run((context) -> {
			int port = ((UdpServer) context.getBean("ipc.servers.quotes", IpcServer.class)).port();
			new ApplicationContextRunner()
				.withConfiguration(
						AutoConfigurations.of(IpcListenerAutoConfiguration.class, SocketAutoConfiguration.class))
				.withPropertyValues("ipc.clients.quotes.transport=udp", "ipc.clients.quotes.port=" + port)
				.withBean(UdpClientCustomizer.class, () -> (settings) -> {
					if (settings.name().equals("quotes")) {
						settings.maxMessageSize(12);
					}
				})
				.run((client) -> {
					assertThat(client).hasNotFailed();
					IpcClient quotes = client.getBean("ipc.clients.quotes", IpcClient.class);
					assertThat(quotes.request("eur", String.class)).isEqualTo("quote:eur");
					assertThatThrownBy(() -> quotes.request("0123456789abc", String.class))
						.hasMessageContaining("longer than max-message-size (12 bytes)");
				});
		});
	}

	@Test
	void udpCustomizersRunInOrder() {
		List<String> applied = new CopyOnWriteArrayList<>();
		udp().withBean("second", UdpServerCustomizer.class, () -> new OrderedUdpCustomizer("second", 2, 32, applied))
			.withBean("first", UdpServerCustomizer.class, () -> new OrderedUdpCustomizer("first", 1, 16, applied))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(applied).containsExactly("first:quotes:65507", "second:quotes:16");
			});
	}

	@Test
	void udpServerCustomizerThatThrowsFailsStartUpNamingTheServer() {
		udp().withBean(UdpServerCustomizer.class, () -> (settings) -> {
			throw new IllegalStateException("customizer refused " + settings.name());
		}).run((context) -> assertFailureNames(context, "ipc.servers.quotes", "customizer refused quotes"));
	}

	@Test
	void udpClientCustomizerLeavingInvalidSettingsFailsNamingTheClient() {
		this.runner.withPropertyValues("ipc.clients.quotes.transport=udp", "ipc.clients.quotes.port=9")
			.withBean(UdpClientCustomizer.class, () -> (settings) -> settings.timeToLive(256))
			.run((context) -> assertFailureNames(context, "ipc.clients.quotes", "timeToLive"));
	}

	@Test
	void shmServerCustomizerLowersMaxMessageSizeOfTheRealServer() {
		String big = "x".repeat(100);
		shm().withBean(ShmServerCustomizer.class, () -> (settings) -> settings.maxMessageSize(64)).run((context) -> {
			assertThat(context).hasNotFailed();
			IpcClient client = context.getBean("ipc.clients.quotes", IpcClient.class);
			assertThat(client.request("eur", String.class)).isEqualTo("quote:eur");
			assertThatThrownBy(() -> client.request(big, String.class))
				.as("the server's 64-byte limit travels to the client in the shared memory")
				.hasStackTraceContaining("over the limit of 64 bytes");
		});
		shm().run((context) -> assertThat(
				context.getBean("ipc.clients.quotes", IpcClient.class).request(big, String.class))
			.as("without a customizer 1MB is allowed")
			.isEqualTo("quote:" + big));
	}

	@Test
	void shmClientCustomizerPointsTheRealClientAtTheServer() {
		shm().withPropertyValues("ipc.clients.quotes.path=" + this.dir.resolve("nobody-listens.sock"))
			.withBean(ShmClientCustomizer.class, () -> (settings) -> {
				if (settings.name().equals("quotes")) {
					settings.path(socket()).requestTimeout(Duration.ofSeconds(7));
				}
			})
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean("ipc.clients.quotes", IpcClient.class).request("eur", String.class))
					.isEqualTo("quote:eur");
			});
	}

	@Test
	void shmCustomizersRunInOrder() {
		List<String> applied = new CopyOnWriteArrayList<>();
		shm().withBean("second", ShmServerCustomizer.class, () -> new OrderedShmCustomizer("second", 2, 3, applied))
			.withBean("first", ShmServerCustomizer.class, () -> new OrderedShmCustomizer("first", 1, 2, applied))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(applied).containsExactly("first:quotes:1024", "second:quotes:2");
			});
	}

	@Test
	void shmServerCustomizerThatThrowsFailsStartUpNamingTheServer() {
		shm().withBean(ShmServerCustomizer.class, () -> (settings) -> {
			throw new IllegalStateException("customizer refused " + settings.name());
		}).run((context) -> {
			assertFailureNames(context, "ipc.servers.quotes", "customizer refused quotes");
			assertThat(Files.exists(socket())).as("no socket file is left").isFalse();
		});
	}

	@Test
	void shmServerCustomizerLeavingARingNotAPowerOfTwoFailsNamingTheServer() {
		shm().withBean(ShmServerCustomizer.class, () -> (settings) -> settings.ringCapacity(5000))
			.run((context) -> assertFailureNames(context, "ipc.servers.quotes", "power of two"));
	}

	@Test
	void shmClientCustomizerThatThrowsFailsNamingTheClient() {
		shm().withBean(ShmClientCustomizer.class, () -> (settings) -> {
			throw new IllegalStateException("no client " + settings.name() + " today");
		}).run((context) -> assertFailureNames(context, "ipc.clients.quotes", "no client quotes today"));
	}

	private static void assertFailureNames(AssertableApplicationContext context, String property, String text) {
		assertThat(context).hasFailed();
		FailureAnalysis analysis = new IpcConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription()).contains("Property: " + property).contains(text);
	}

	private static void send(int port, byte[] payload) throws java.io.IOException {
		try (DatagramSocket peer = new DatagramSocket()) {
			peer.send(new DatagramPacket(payload, payload.length,
					new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
		}
	}

	/** One datagram to the server and its reply, read with a receive timeout. */
	private static String exchange(int port, String payload) throws java.io.IOException {
		try (DatagramSocket peer = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
			peer.setSoTimeout(10_000);
			byte[] bytes = payload.getBytes(java.nio.charset.StandardCharsets.UTF_8);
			peer.send(new DatagramPacket(bytes, bytes.length,
					new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
			DatagramPacket reply = new DatagramPacket(new byte[1024], 1024);
			peer.receive(reply);
			return new String(reply.getData(), 0, reply.getLength(), java.nio.charset.StandardCharsets.UTF_8);
		}
	}

	static class Echo {

		@IpcListener("quotes")
		String quote(String currency) {
			return "quote:" + currency;
		}

	}

	record OrderedUdpCustomizer(String label, int order, int maxMessageSize,
			List<String> applied) implements UdpServerCustomizer, Ordered {

		@Override
		public void customize(dev.ipcboot.socket.udp.UdpServerSettings.Builder settings) {
			this.applied.add(this.label + ":" + settings.name() + ":" + settings.maxMessageSize());
			settings.maxMessageSize(this.maxMessageSize);
		}

		@Override
		public int getOrder() {
			return this.order;
		}

	}

	record OrderedShmCustomizer(String label, int order, int maxConnections,
			List<String> applied) implements ShmServerCustomizer, Ordered {

		@Override
		public void customize(ShmServerSettings.Builder settings) {
			this.applied.add(this.label + ":" + settings.name() + ":" + settings.maxConnections());
			settings.maxConnections(this.maxConnections);
		}

		@Override
		public int getOrder() {
			return this.order;
		}

	}

}
