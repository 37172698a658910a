package dev.ipcboot.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.integration.ip.udp.inbound.UnicastReceivingChannelAdapter;

import dev.ipcboot.internal.IpcResourceSource;
import dev.ipcboot.IpcResourceStatus;
import dev.ipcboot.listener.IpcListener;
import dev.ipcboot.socket.IpcClient;
import dev.ipcboot.socket.IpcServer;
import dev.ipcboot.socket.udp.internal.UdpIpcClient;
import dev.ipcboot.socket.udp.internal.UdpServer;
import dev.ipcboot.socket.udp.internal.UdpServers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code transport: udp} in auto-configuration: nothing of it without an entry that asks
 * for it, the entries' beans under their names, metrics with the {@code udp} tag, health,
 * and keys UDP cannot honour or invalid values failing start-up naming the property.
 */
class UdpTransportConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(IpcListenerAutoConfiguration.class, SocketAutoConfiguration.class,
				IpcMetricsAutoConfiguration.class))
		.withBean(MeterRegistry.class, SimpleMeterRegistry::new);

	private ApplicationContextRunner udp() {
		return this.runner.withBean(Echo.class)
			.withPropertyValues("ipc.servers.quotes.transport=udp", "ipc.clients.quotes.transport=udp",
					"ipc.clients.quotes.port=9");
	}

	@Test
	void withoutAUdpEntryNothingOfTheTransportIsCreated() {
		this.runner.withPropertyValues("ipc.servers.plain.transport=tcp").run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(UdpServers.class);
			assertThat(context).doesNotHaveBean(UdpTransportConfiguration.UdpClientFactory.class);
		});
	}

	@Test
	void withOnlyUdpEntriesNoSocketEngineIsCreatedNorAnyThreadOfIt() {
		java.util.Set<Long> before = Thread.getAllStackTraces()
			.keySet()
			.stream()
			.map(Thread::getId)
			.collect(java.util.stream.Collectors.toSet());
		udp().run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(UdpServers.class);
			assertThat(context).doesNotHaveBean(dev.ipcboot.socket.internal.SocketEngine.class);
			assertThat(Thread.getAllStackTraces().keySet()).filteredOn((thread) -> !before.contains(thread.getId()))
				.extracting(Thread::getName)
				.noneMatch((name) -> name.startsWith("ipc-io-") || name.startsWith("ipc-worker-"))
				.anyMatch((name) -> name.startsWith("ipc-udp-quotes-"));
		});
		assertThat(IpcBackgroundPreinitializer.classesToInitialize(
				new org.springframework.mock.env.MockEnvironment().withProperty("ipc.servers.quotes.transport", "udp")
					.withProperty("ipc.clients.quotes.transport", "udp")))
			.as("classes loaded ahead for udp only")
			.noneMatch((name) -> name.startsWith("io.netty."));
	}

	@Test
	void aServerClosedRightAfterItStartedLeavesNoReceiveThreadBlockedOnASocketOfItsOwn() {
		// the adapter's receive loop starts on its own thread; closed before it ran, it
		// once made a new socket of its own and blocked on it forever
		for (int i = 0; i < 20; i++) {
			this.runner.withBean(Echo.class)
				.withPropertyValues("ipc.servers.quotes.transport=udp")
				.run((context) -> assertThat(context).hasNotFailed());
		}
		org.awaitility.Awaitility.await()
			.atMost(java.time.Duration.ofSeconds(10))
			.until(() -> dev.ipcboot.testsupport.OurThreads.alive("ipc-udp-").isEmpty());
	}

	@Test
	void aSocketEntryBesideUdpEntriesStillHasTheSocketEngine() {
		udp().withPropertyValues("ipc.servers.plain.transport=tcp").run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(dev.ipcboot.socket.internal.SocketEngine.class);
			assertThat(context.getBean("ipc.servers.plain", IpcServer.class).name()).isEqualTo("plain");
		});
	}

	@Test
	void udpEntriesAreIpcServerAndIpcClientBeansOnLoopbackCountedUnderTheUdpTransport() {
		this.runner.withBean(Echo.class).withPropertyValues("ipc.servers.quotes.transport=udp").run((context) -> {
			assertThat(context).hasNotFailed();
			UdpServer server = (UdpServer) context.getBean("ipc.servers.quotes", IpcServer.class);
			assertThat(server.state().details()).containsEntry("address", "127.0.0.1");
			int port = server.port();
			assertThat(context.getEnvironment().getProperty("local.ipc.server.quotes.port", Integer.class))
				.isEqualTo(port);
			try (UdpIpcClient client = new UdpIpcClient(
					UdpSettingsFactory.client("quotes", clientEntry(port), getClass().getClassLoader()),
					IpcMessageConverters.create(context), Runnable::run)) {
				assertThat(client.request("eur", String.class)).isEqualTo("quote:eur");
			}
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("ipc.messages")
				.tag("channel", "quotes")
				.tag("transport", "udp")
				.tag("direction", "in")
				.counter()
				.count()).isEqualTo(1);
			assertThat(context.getBeansOfType(IpcResourceSource.class).values())
				.flatExtracting(IpcResourceSource::resources)
				.filteredOn((resource) -> resource.name().equals("quotes"))
				.hasAtLeastOneElementOfType(UdpServer.class)
				.allSatisfy((resource) -> assertThat(resource.state().status()).isEqualTo(IpcResourceStatus.UP));
		});
		udp().run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean("ipc.clients.quotes", IpcClient.class)).isInstanceOf(UdpIpcClient.class);
		});
	}

	@Test
	void oversizedDatagramIsCountedAsAFailureOfTheUdpTransport() {
		this.runner.withBean(Echo.class)
			.withPropertyValues("ipc.servers.quotes.transport=udp", "ipc.servers.quotes.max-message-size=16B")
			.run((context) -> {
				UdpServer server = (UdpServer) context.getBean("ipc.servers.quotes", IpcServer.class);
				try (java.net.DatagramSocket peer = new java.net.DatagramSocket()) {
					byte[] big = new byte[17];
					peer.send(new java.net.DatagramPacket(big, big.length,
							new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), server.port())));
				}
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				org.awaitility.Awaitility.await()
					.atMost(java.time.Duration.ofSeconds(10))
					.until(() -> registry.find("ipc.connection.failures")
						.tag("channel", "quotes")
						.tag("transport", "udp")
						.tag("reason", "oversized-datagram")
						.counter() != null);
				assertThat(registry.get("ipc.messages").tag("channel", "quotes").counters())
					.allSatisfy((counter) -> assertThat(counter.count()).isZero());
			});
	}

	private static SocketClientProperties.Client clientEntry(int port) {
		SocketClientProperties.Client client = new SocketClientProperties.Client();
		client.setTransport(SocketClientProperties.Transport.UDP);
		client.setPort(port);
		return client;
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|',
			textBlock = """
					group that is not multicast  | ipc.servers.quotes.multicast-group=10.1.2.3 | ipc.servers.quotes.multicast-group | is not a multicast address
					group that is a name         | ipc.servers.quotes.multicast-group=example.org | ipc.servers.quotes.multicast-group | is not a multicast address
					multicast without a port     | ipc.servers.quotes.multicast-group=239.1.2.3 | ipc.servers.quotes.port | needs the port
					client time-to-live over 255 | ipc.clients.quotes.multicast-group=239.1.2.3,ipc.clients.quotes.multicast-time-to-live=300 | ipc.clients.quotes.multicast-time-to-live | between 0 and 255
					unknown interface            | ipc.servers.quotes.multicast-group=239.1.2.3,ipc.servers.quotes.port=4446,ipc.servers.quotes.multicast-interface=nosuch0 | ipc.servers.quotes.multicast-interface | no network interface 'nosuch0'
					interface without a group    | ipc.servers.quotes.multicast-interface=lo | ipc.servers.quotes.multicast-interface | only with multicast-group
					socket path                  | ipc.servers.quotes.path=/tmp/quotes.sock | ipc.servers.quotes.path | does not apply to transport: udp
					Qt-style name                | ipc.servers.quotes.name=quotes | ipc.servers.quotes.name | does not apply to transport: udp
					TLS bundle                   | ipc.servers.quotes.ssl-bundle=tls | ipc.servers.quotes.ssl-bundle | no TLS
					client certificates          | ipc.servers.quotes.client-auth=need | ipc.servers.quotes.client-auth | no TLS
					socket activation            | ipc.servers.quotes.activation=optional | ipc.servers.quotes.activation | systemd
					systemd socket               | ipc.servers.quotes.systemd-socket=quotes | ipc.servers.quotes.systemd-socket | systemd
					allowed uids                 | ipc.servers.quotes.allowed-uids=1000 | ipc.servers.quotes.allowed-uids | no peer uid
					zero max-message-size        | ipc.servers.quotes.max-message-size=0 | ipc.servers.quotes.max-message-size | must be between 1B and 65507B
					port out of range            | ipc.servers.quotes.port=70000 | ipc.servers.quotes.port | out of range
					host nobody resolves         | ipc.servers.quotes.host=no-such-host.invalid | ipc.servers.quotes.host | not an address
					client without a port        | ipc.clients.quotes.port= | ipc.clients.quotes.port | needs the server's port
					client subscribing           | ipc.clients.quotes.subscribe=true | ipc.clients.quotes.subscribe | no connection
					client TLS bundle            | ipc.clients.quotes.ssl-bundle=tls | ipc.clients.quotes.ssl-bundle | no TLS
					client group not multicast   | ipc.clients.quotes.multicast-group=127.0.0.1 | ipc.clients.quotes.multicast-group | not a multicast address
					client time-to-live negative | ipc.clients.quotes.multicast-group=239.1.2.3,ipc.clients.quotes.multicast-time-to-live=-1 | ipc.clients.quotes.multicast-time-to-live | between 0 and 255
					client path                  | ipc.clients.quotes.path=/tmp/q.sock | ipc.clients.quotes.path | does not apply to transport: udp
					group on a tcp client        | ipc.clients.other.transport=tcp,ipc.clients.other.port=1,ipc.clients.other.multicast-group=239.1.2.3 | ipc.clients.other.multicast-group | applies only to transport: udp
					""")
	void invalidUdpSettingsFailStartUpNamingThePropertyAndTheFix(String description, String properties, String named,
			String problem) {
		udp().withPropertyValues(properties.split(",")).run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = new IpcConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis).as("%s", context.getStartupFailure()).isNotNull();
			assertThat(analysis.getDescription()).contains("Property: " + named).contains(problem);
			assertThat(analysis.getAction()).isNotBlank();
		});
	}

	@Test
	void portTakenByAnotherSocketFailsStartUpNamingThePort() throws Exception {
		try (java.net.DatagramSocket taken = new java.net.DatagramSocket(
				new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0))) {
			this.runner.withBean(Echo.class)
				.withPropertyValues("ipc.servers.quotes.transport=udp",
						"ipc.servers.quotes.port=" + taken.getLocalPort())
				.run((context) -> {
					assertThat(context).hasFailed();
					FailureAnalysis analysis = new IpcConfigurationFailureAnalyzer()
						.analyze(context.getStartupFailure());
					assertThat(analysis).isNotNull();
					assertThat(analysis.getDescription()).contains("Property: ipc.servers.quotes.port")
						.contains("cannot receive on 127.0.0.1:" + taken.getLocalPort());
				});
		}
	}

	@Test
	void withoutSpringIntegrationIpAUdpEntryFailsStartUpNamingTheLibrary() {
		udp().withClassLoader(new FilteredClassLoader(UnicastReceivingChannelAdapter.class)).run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = new IpcConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis).isNotNull();
			assertThat(analysis.getDescription()).contains("Spring Integration IP");
		});
	}

	static class Echo {

		@IpcListener("quotes")
		String quote(String currency) {
			return "quote:" + currency;
		}

	}

}
