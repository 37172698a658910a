package dev.ipcboot.autoconfigure;

import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.ipcboot.internal.IpcResourceSource;
import dev.ipcboot.IpcResourceStatus;
import dev.ipcboot.listener.IpcListener;
import dev.ipcboot.socket.IpcClient;
import dev.ipcboot.socket.IpcServer;
import dev.ipcboot.socket.internal.SocketEngine;
import dev.ipcboot.socket.internal.SocketServers;
import dev.ipcboot.socket.shm.internal.ShmIpcClient;
import dev.ipcboot.socket.shm.internal.ShmServer;
import dev.ipcboot.socket.shm.internal.ShmServers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code transport: shm} in auto-configuration: nothing of it without an entry that asks
 * for it, the entries' beans under their names, metrics with the {@code shm} tag, health,
 * and invalid settings failing start-up naming the property.
 */
class ShmTransportConfigurationTests {

	@TempDir
	Path dir;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(IpcListenerAutoConfiguration.class, SocketAutoConfiguration.class,
				IpcMetricsAutoConfiguration.class))
		.withBean(MeterRegistry.class, SimpleMeterRegistry::new);

	private ApplicationContextRunner shm() {
		return this.runner.withBean(Echo.class)
			.withPropertyValues("ipc.servers.quotes.transport=shm", "ipc.servers.quotes.path=" + socket(),
					"ipc.clients.quotes.transport=shm", "ipc.clients.quotes.path=" + socket());
	}

	private String socket() {
		return this.dir.resolve("quotes.sock").toString();
	}

	@Test
	void withoutAnShmEntryNothingOfTheTransportIsCreated() {
		this.runner.withPropertyValues("ipc.servers.plain.path=" + this.dir.resolve("plain.sock")).run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(SocketServers.class).doesNotHaveBean(ShmServers.class);
			assertThat(context).doesNotHaveBean(ShmTransportConfiguration.ShmClientFactory.class);
		});
	}

	@Test
	void onlyShmEntriesCreateNoSocketEngineAndStartNoThreadOfIt() {
		Set<Long> before = Thread.getAllStackTraces().keySet().stream().map(Thread::getId).collect(Collectors.toSet());
		shm().run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(SocketEngine.class);
			assertThat(context.getBean("ipc.clients.quotes", IpcClient.class).request("eur", String.class))
				.isEqualTo("quote:eur");
			assertThat(Thread.getAllStackTraces().keySet()).filteredOn((thread) -> !before.contains(thread.getId()))
				.extracting(Thread::getName)
				.noneMatch((name) -> name.startsWith("ipc-io-") || name.startsWith("ipc-worker-"))
				.anyMatch((name) -> name.startsWith("ipc-shm-quotes"));
		});
	}

	@Test
	void aSocketEntryBesideShmEntriesStillHasTheSocketEngine() {
		shm().withPropertyValues("ipc.servers.plain.path=" + this.dir.resolve("plain.sock")).run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(SocketEngine.class);
			assertThat(context.getBean("ipc.servers.plain", IpcServer.class).name()).isEqualTo("plain");
		});
	}

	@Test
	void shmEntriesAreIpcServerAndIpcClientBeansCountedUnderTheShmTransport() {
		shm().run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean("ipc.servers.quotes", IpcServer.class)).isInstanceOf(ShmServer.class);
			IpcClient client = context.getBean("ipc.clients.quotes", IpcClient.class);
			assertThat(client).isInstanceOf(ShmIpcClient.class);
			assertThat(client.request("eur", String.class)).isEqualTo("quote:eur");
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("ipc.messages")
				.tag("channel", "quotes")
				.tag("transport", "shm")
				.tag("direction", "in")
				.counter()
				.count()).isEqualTo(1);
			assertThat(context.getBeansOfType(IpcResourceSource.class).values())
				.flatExtracting(IpcResourceSource::resources)
				.filteredOn((resource) -> resource.name().equals("quotes"))
				.hasSize(2)
				.allSatisfy((resource) -> assertThat(resource.state().status()).isEqualTo(IpcResourceStatus.UP))
				.hasAtLeastOneElementOfType(ShmServer.class)
				.hasAtLeastOneElementOfType(ShmIpcClient.class);
		});
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|',
			textBlock = """
					ring size not a power of two | ipc.servers.quotes.ring-size=1000   | ipc.servers.quotes.ring-size | power of two
					negative spin                | ipc.servers.quotes.spin=-1          | ipc.servers.quotes.spin      | 0 or positive
					group permissions            | ipc.servers.quotes.permissions=group | ipc.servers.quotes.permissions | own user
					negative client spin         | ipc.clients.quotes.spin=-1          | ipc.clients.quotes.spin      | 0 or positive
					TLS bundle on a server       | ipc.servers.quotes.ssl-bundle=tls   | ipc.servers.quotes.ssl-bundle | no TLS
					client certificates asked    | ipc.servers.quotes.client-auth=need | ipc.servers.quotes.client-auth | client certificates
					socket activation            | ipc.servers.quotes.activation=optional | ipc.servers.quotes.activation | systemd
					systemd socket               | ipc.servers.quotes.systemd-socket=quotes | ipc.servers.quotes.systemd-socket | systemd
					multicast group on a server  | ipc.servers.quotes.multicast-group=239.1.2.3 | ipc.servers.quotes.multicast-group | only to transport: udp
					multicast interface on a server | ipc.servers.quotes.multicast-interface=lo | ipc.servers.quotes.multicast-interface | only to transport: udp
					TLS bundle on a client       | ipc.clients.quotes.ssl-bundle=tls   | ipc.clients.quotes.ssl-bundle | no TLS
					""")
	void invalidShmSettingsFailStartUpNamingThePropertyAndTheFix(String description, String property, String named,
			String problem) {
		shm().withPropertyValues(property).run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = new IpcConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis).isNotNull();
			assertThat(analysis.getDescription()).contains("Property: " + named).contains(problem);
			assertThat(analysis.getAction()).isNotBlank();
		});
	}

	@Test
	void withoutAgronaAnShmEntryFailsStartUpNamingTheLibrary() {
		shm().withClassLoader(new FilteredClassLoader(OneToOneRingBuffer.class)).run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = new IpcConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis).isNotNull();
			assertThat(analysis.getDescription()).contains("Agrona");
		});
	}

	static class Echo {

		@IpcListener("quotes")
		String quote(String currency) {
			return "quote:" + currency;
		}

	}

}
