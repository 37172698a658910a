package dev.ipcboot.socket.internal;

import java.nio.file.Path;
import java.util.Locale;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.messaging.handler.annotation.Header;

import dev.ipcboot.IpcConfigurationException;
import dev.ipcboot.autoconfigure.IpcListenerAutoConfiguration;
import dev.ipcboot.autoconfigure.SocketAutoConfiguration;
import dev.ipcboot.listener.IpcListener;
import dev.ipcboot.socket.Framing;
import dev.ipcboot.socket.ServerBinding;
import dev.ipcboot.socket.SocketHeaders;
import dev.ipcboot.socket.SocketTransport;
import dev.ipcboot.testsupport.LogLines;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Start-up checks and validation of socket server listeners, over real sockets: a header
 * a transport never carries, the README's first listener on both transports, a
 * {@code @Valid} payload, and listeners of lazy beans.
 */
@ExtendWith(OutputCaptureExtension.class)
class SocketListenerStartupChecksTests {

	@TempDir
	Path dir;

	private ApplicationContextRunner server(SocketTransport transport, Class<?> listener) {
		return server(transport, listener, "orders");
	}

	private ApplicationContextRunner server(SocketTransport transport, Class<?> listener, String name) {
		ApplicationContextRunner runner = Servers.runner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class))
			.withBean(listener)
			.withPropertyValues("ipc.servers." + name + ".transport=" + transport.name().toLowerCase(Locale.ROOT));
		return (transport == SocketTransport.LOCAL)
				? runner.withPropertyValues("ipc.servers." + name + ".path=" + this.dir.resolve(name + ".sock"))
				: runner.withPropertyValues("ipc.servers." + name + ".port=0");
	}

	private static TestClient connect(org.springframework.context.ApplicationContext context) throws Exception {
		return connect(context, "orders");
	}

	private static TestClient connect(org.springframework.context.ApplicationContext context, String name)
			throws Exception {
		SocketServer server = context.getBean(SocketServers.class).get(name);
		if (server.settings().binding() instanceof ServerBinding.Local) {
			return TestClient.local(Path.of(server.address()), Framing.LINE);
		}
		return TestClient.tcp(server.port(), Framing.LINE);
	}

	@Test
	void listenerRequiringThePeerUidOnATcpServerFailsStartUpNamingMethodHeaderAndChannel() {
		server(SocketTransport.TCP, RequiresUid.class).run((context) -> {
			Throwable failure = NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure());
			assertThat(failure).isInstanceOf(IpcConfigurationException.class)
				.hasMessageContaining("RequiresUid.handle(Order, int)")
				.hasMessageContaining("header 'ipc_peerUid'")
				.hasMessageContaining("channel 'orders' (tcp server, ipc.servers.orders)");
			assertThat(((IpcConfigurationException) failure).getAction()).contains("required = false");
		});
	}

	@Test
	void listenerRequiringThePeerUidOnALocalServerGetsIt() {
		server(SocketTransport.LOCAL, RequiresUid.class).run((context) -> {
			try (TestClient client = connect(context)) {
				assertThat(client.request("{\"item\":\"tea\",\"quantity\":1}"))
					.isEqualTo("{\"item\":\"tea\",\"status\":\"uid " + uid() + "\"}");
			}
		});
	}

	@ParameterizedTest
	@EnumSource(SocketTransport.class)
	void listenerTakingThePeerUidAsAnOptionalHeaderAnswersOnEveryTransport(SocketTransport transport) {
		server(transport, MayHaveUid.class).run((context) -> {
			try (TestClient client = connect(context)) {
				String expected = (transport == SocketTransport.LOCAL) ? "uid " + uid() : "uid unknown";
				assertThat(client.request("{\"item\":\"tea\",\"quantity\":1}"))
					.isEqualTo("{\"item\":\"tea\",\"status\":\"" + expected + "\"}");
			}
		});
	}

	@Test
	void invalidPayloadClosesThatConnectionWithOneWarnLineAndOthersAreServed(CapturedOutput output) {
		server(SocketTransport.LOCAL, ValidOrders.class, "validated-orders")
			.withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
			.run((context) -> {
				try (TestClient bad = connect(context, "validated-orders");
						TestClient good = connect(context, "validated-orders")) {
					bad.send("{\"item\":\"tea\",\"quantity\":-3}");
					assertThat(bad.readToEnd()).isEqualTo(-1);
					assertThat(good.request("{\"item\":\"tea\",\"quantity\":3}"))
						.isEqualTo("{\"item\":\"tea\",\"status\":\"3 accepted\"}");
				}
			});
		// only the lines naming this test's server (its listener's lines name it as their
		// channel): the output capture takes the whole JVM's
		LogLines lines = LogLines.of(output);
		assertThat(lines.warningsMentioning("'validated-orders'")).singleElement()
			.satisfies((line) -> assertThat(line).contains("rejected an invalid payload").contains("quantity"));
		assertThat(lines.stackTracesMentioning("'validated-orders'")).isEmpty();
	}

	@Test
	void listenerOfABeanMadeLazyByLazyInitializationAnswers() throws Exception {
		Path path = this.dir.resolve("lazy.sock");
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(LazyApp.class)
			.web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.properties("spring.main.lazy-initialization=true", "ipc.servers.orders.path=" + path)
			.run()) {
			try (TestClient client = TestClient.local(path, Framing.LINE)) {
				assertThat(client.request("{\"item\":\"tea\",\"quantity\":1}")).startsWith("{\"item\":\"tea\"");
			}
		}
		assertThat(path).doesNotExist();
	}

	private static long uid() {
		return new com.sun.security.auth.module.UnixSystem().getUid();
	}

	record Order(@NotBlank String item, @Positive int quantity) {
	}

	record Receipt(String item, String status) {
	}

	static class RequiresUid {

		@IpcListener("orders")
		Receipt handle(Order order, @Header(SocketHeaders.PEER_UID) int uid) {
			return new Receipt(order.item(), "uid " + uid);
		}

	}

	static class MayHaveUid {

		@IpcListener("orders")
		Receipt handle(Order order, @Header(name = SocketHeaders.PEER_UID, required = false) Integer uid) {
			return new Receipt(order.item(), (uid != null) ? "uid " + uid : "uid unknown");
		}

	}

	static class ValidOrders {

		@IpcListener("validated-orders")
		Receipt handle(@Valid Order order) {
			return new Receipt(order.item(), order.quantity() + " accepted");
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ JacksonAutoConfiguration.class, IpcListenerAutoConfiguration.class,
			SocketAutoConfiguration.class })
	static class LazyApp {

		@Bean
		MayHaveUid orders() {
			return new MayHaveUid();
		}

	}

}
