package dev.ipcboot.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.ipcboot.socket.ClientConnectionClosedEvent;
import dev.ipcboot.socket.ClientConnectionEvent;
import dev.ipcboot.socket.ClientConnectionOpenedEvent;
import dev.ipcboot.socket.IpcClient;
import dev.ipcboot.testsupport.OurThreads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How {@code ipc.clients} becomes beans: qualified injection, switching off, invalid
 * configuration reported through the failure analyzer, events, and nothing left open
 * after the context closes.
 */
class SocketClientConfigurationTests {

	@TempDir
	Path dir;

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|',
			textBlock = """
					local client without path or name | ipc.clients.c.transport=local                                    | ipc.clients.c.path | ipc.clients.c.name
					local client with path and name   | ipc.clients.c.path=/tmp/a.sock,ipc.clients.c.name=a              | ipc.clients.c.path | not both
					relative path                     | ipc.clients.c.path=run/a.sock                                    | ipc.clients.c.path | absolute
					tcp client without port           | ipc.clients.c.transport=tcp                                      | ipc.clients.c.port | 1 to 65535
					port above 65535                  | ipc.clients.c.transport=tcp,ipc.clients.c.port=70000             | ipc.clients.c.port | 1 to 65535
					port zero                         | ipc.clients.c.transport=tcp,ipc.clients.c.port=0                 | ipc.clients.c.port | 1 to 65535
					zero max-message-size             | ipc.clients.c.path=/tmp/a.sock,ipc.clients.c.max-message-size=0B  | ipc.clients.c.max-message-size | 1MB
					negative max-message-size         | ipc.clients.c.path=/tmp/a.sock,ipc.clients.c.max-message-size=-1KB | ipc.clients.c.max-message-size | 1MB
					zero connect-timeout              | ipc.clients.c.path=/tmp/a.sock,ipc.clients.c.connect-timeout=0s  | ipc.clients.c.connect-timeout | positive
					negative request-timeout          | ipc.clients.c.path=/tmp/a.sock,ipc.clients.c.request-timeout=-1s | ipc.clients.c.request-timeout | positive
					zero pool-size                    | ipc.clients.c.path=/tmp/a.sock,ipc.clients.c.pool-size=0         | ipc.clients.c.pool-size | in flight
					unknown ssl bundle                | ipc.clients.c.transport=tcp,ipc.clients.c.port=7000,ipc.clients.c.ssl-bundle=nope | ipc.clients.c.ssl-bundle | spring.ssl.bundle
					negative receive-buffer-size      | ipc.clients.c.transport=tcp,ipc.clients.c.port=7000,ipc.clients.c.receive-buffer-size=-1KB | ipc.clients.c.receive-buffer-size | 256KB
					zero send-buffer-size             | ipc.clients.c.transport=tcp,ipc.clients.c.port=7000,ipc.clients.c.send-buffer-size=0B | ipc.clients.c.send-buffer-size | 256KB
					""")
	void invalidConfigurationFailsStartUpNamingThePropertyAndTheFix(String description, String properties,
			String property, String fix) {
		ClientContexts.runner().withPropertyValues(properties.split(",")).run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = new IpcConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis).as("failure analysis of " + context.getStartupFailure()).isNotNull();
			assertThat(analysis.getDescription()).contains("Property: " + property);
			assertThat(analysis.getAction()).contains(fix);
		});
	}

	@Test
	void unknownFramingFailsBindingNamingTheProperty() {
		ClientContexts.runner()
			.withPropertyValues("ipc.clients.c.path=/tmp/a.sock", "ipc.clients.c.framing=xml")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("xml");
				assertThat(context.getStartupFailure()).hasStackTraceContaining("ipc.clients.c.framing");
			});
	}

	@Test
	void twoClientsAreInjectableByQualifier() throws Exception {
		Path ordersPath = this.dir.resolve("orders.sock");
		try (ClientTestServer orders = ClientTestServer.local(ordersPath, "line");
				ClientTestServer admin = ClientTestServer.tcp(0, "crlf")) {
			ClientContexts.runner()
				.withPropertyValues(ClientContexts.client("orders", "local", ordersPath, 1, "line"))
				.withPropertyValues(ClientContexts.client("admin", "tcp", ordersPath, admin.port(), "crlf"))
				.withUserConfiguration(TwoClientsUser.class)
				.run((context) -> {
					TwoClientsUser user = context.getBean(TwoClientsUser.class);
					assertThat(user.orders.name()).isEqualTo("orders");
					assertThat(user.admin.name()).isEqualTo("admin");
					assertThat(user.orders.request("to orders", String.class)).isEqualTo("to orders");
					assertThat(user.admin.request("to admin", String.class)).isEqualTo("to admin");
					assertThat(orders.accepted()).isEqualTo(1);
					assertThat(admin.accepted()).isEqualTo(1);
				});
		}
	}

	@Test
	void aQtStyleNameResolvesInTheTempDirectory() {
		String tmp = System.getenv().getOrDefault("TMPDIR", "/tmp");
		assertThat(QtLocalSocketNames.path("orders")).isEqualTo(Path.of(tmp, "orders").toString());
		assertThat(QtLocalSocketNames.path("/run/orders.sock")).isEqualTo("/run/orders.sock");
	}

	@Test
	void clientsAreNotCreatedWhenSocketsAreSwitchedOff() {
		ClientContexts.runner()
			.withPropertyValues("ipc.socket.enabled=false", "ipc.clients.c.path=/tmp/a.sock")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(IpcClient.class));
	}

	@Test
	void clientsBackOffWithoutSpringIntegrationOnTheClassPath() {
		ClientContexts.runner()
			.withClassLoader(new FilteredClassLoader("org.springframework.integration"))
			.withPropertyValues("ipc.clients.c.path=/tmp/a.sock")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(IpcClient.class));
	}

	@Test
	void aUserBeanUnderTheClientsBeanNameIsKept() {
		ClientContexts.runner()
			.withPropertyValues("ipc.clients.c.path=/tmp/a.sock")
			.withBean("ipc.clients.c", String.class, () -> "mine")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(IpcClient.class)
				.getBean("ipc.clients.c")
				.isEqualTo("mine"));
	}

	@Test
	void closingTheContextClosesEveryConnectionAndStopsOurThreads() throws Exception {
		Path path = this.dir.resolve("close.sock");
		List<ClientConnectionEvent> events = new CopyOnWriteArrayList<>();
		try (ClientTestServer server = ClientTestServer.local(path, "line")) {
			ClientContexts.runner()
				.withPropertyValues(ClientContexts.client("closing", "local", path, 1, "line"))
				.withBean(ApplicationListener.class, () -> (ApplicationListener<ClientConnectionEvent>) events::add)
				.run((context) -> {
					IpcClient client = context.getBean(IpcClient.class);
					assertThat(client.requestAsync("async").get(10, TimeUnit.SECONDS)).asString().isEqualTo("async");
					client.send("one-way");
					assertThat(client.request("sync", String.class)).isEqualTo("sync");
					// the reply to send() is in the client's socket before it closes (one
					// written after the close would fail with EPIPE, not end cleanly)
					await().atMost(Duration.ofSeconds(10)).until(() -> server.replies() == 3);
					assertThat(OurThreads.alive("ipc-client-closing-")).isNotEmpty();
					assertThat(events).hasAtLeastOneElementOfType(ClientConnectionOpenedEvent.class)
						.allSatisfy((event) -> assertThat(event.resourceName()).isEqualTo("closing"))
						.allSatisfy((event) -> assertThat(event.address()).isEqualTo("local:" + path));
				});
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				assertThat(server.endOfStreams()).as("connections the server saw end; failures " + server.failures())
					.isEqualTo(server.accepted());
				assertThat(OurThreads.alive("ipc-")).isEmpty();
			});
			assertThat(server.accepted()).isGreaterThanOrEqualTo(2);
			assertThat(events).hasAtLeastOneElementOfType(ClientConnectionClosedEvent.class);
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class TwoClientsUser {

		final IpcClient orders;

		final IpcClient admin;

		TwoClientsUser(@Qualifier("orders") IpcClient orders, @Qualifier("admin") IpcClient admin) {
			this.orders = orders;
			this.admin = admin;
		}

	}

}
