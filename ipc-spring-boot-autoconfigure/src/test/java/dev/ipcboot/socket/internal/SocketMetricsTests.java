package dev.ipcboot.socket.internal;

import java.nio.ByteBuffer;
import java.nio.file.Path;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.ipcboot.internal.IpcResourceState;
import dev.ipcboot.IpcResourceStatus;
import dev.ipcboot.autoconfigure.IpcMetricsAutoConfiguration;
import dev.ipcboot.socket.Framing;
import dev.ipcboot.socket.IpcClientException;
import dev.ipcboot.socket.SocketTransport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Socket servers and clients in metrics and health: frames, replies and bytes are
 * counted, the connection gauge follows open connections, bad input and refusals are
 * counted by reason, a server reports where it listens, and a client that cannot reach
 * its server is DOWN with the reason.
 */
class SocketMetricsTests {

	@TempDir
	Path dir;

	private ApplicationContextRunner runner(SocketTransport transport, Framing framing) {
		return Servers.echo(transport, framing, this.dir)
			.withConfiguration(AutoConfigurations.of(IpcMetricsAutoConfiguration.class))
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withPropertyValues("ipc.servers.echo.max-message-size=1KB", "ipc.servers.echo.max-connections=2");
	}

	@ParameterizedTest
	@EnumSource(SocketTransport.class)
	void everyFrameAndReplyIsCountedAndTheGaugeFollowsOpenConnections(SocketTransport transport) {
		String transportTag = transport.name().toLowerCase();
		runner(transport, Framing.LINE).run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			SocketServer server = context.getBean(SocketServers.class).get("echo");
			try (TestClient client = Servers.connect(context, Framing.LINE)) {
				for (String request : new String[] { "a", "bb", "ccc" }) {
					assertThat(client.request(request)).isEqualTo("echo:" + request);
				}
				assertThat(count(registry, "ipc.messages", "in")).isEqualTo(3);
				assertThat(count(registry, "ipc.bytes", "in")).isEqualTo(6);
				// a reply is counted once written, which may be after the client read it
				await().until(() -> count(registry, "ipc.messages", "out") == 3
						&& count(registry, "ipc.bytes", "out") == 6 + 3 * "echo:".length());
				assertThat(registry.get("ipc.connections").tag("transport", transportTag).gauge().value()).isEqualTo(1);
				IpcResourceState state = server.state();
				assertThat(state.status()).isEqualTo(IpcResourceStatus.UP);
				assertThat(state.details()).containsEntry("connections", 1)
					.containsKey((transport == SocketTransport.LOCAL) ? "path" : "address");
			}
			await().until(() -> registry.get("ipc.connections").gauge().value() == 0);
			assertThat(server.kind()).isEqualTo(transportTag + " server");
		});
	}

	@Test
	void oversizedAndTruncatedFramesAndRefusalsAreCountedByReason() {
		runner(SocketTransport.LOCAL, Framing.LENGTH_PREFIXED).run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			try (TestClient oversized = Servers.connect(context, Framing.LENGTH_PREFIXED)) {
				oversized.writeRaw(ByteBuffer.allocate(4).putInt(4096).array());
				assertThat(oversized.readToEnd()).isEqualTo(-1);
			}
			await().until(() -> failures(registry, "oversized-frame") == 1);
			try (TestClient truncated = Servers.connect(context, Framing.LENGTH_PREFIXED)) {
				truncated.writeRaw(ByteBuffer.allocate(7).putInt(100).put(new byte[] { 1, 2, 3 }).array());
			}
			await().until(() -> failures(registry, "corrupt-frame") == 1);
			try (TestClient first = Servers.connect(context, Framing.LENGTH_PREFIXED);
					TestClient second = Servers.connect(context, Framing.LENGTH_PREFIXED)) {
				assertThat(first.request("in")).isEqualTo("echo:in");
				assertThat(second.request("in")).isEqualTo("echo:in");
				try (TestClient third = Servers.connect(context, Framing.LENGTH_PREFIXED)) {
					assertThat(third.readToEnd()).isEqualTo(-1);
				}
				await().until(() -> failures(registry, "max-connections") == 1);
			}
			await().until(() -> registry.get("ipc.connections").gauge().value() == 0);
		});
	}

	@Test
	void aStoppedServerIsDown() {
		runner(SocketTransport.LOCAL, Framing.LINE).run((context) -> {
			SocketServer server = context.getBean(SocketServers.class).get("echo");
			assertThat(server.state().status()).isEqualTo(IpcResourceStatus.UP);
			server.stop();
			assertThat(server.state().status()).isEqualTo(IpcResourceStatus.DOWN);
			assertThat(server.state().reason()).isEqualTo("stopped");
		});
	}

	@Test
	void aClientIsUpAfterASuccessfulRequestAndDownWithTheReasonAfterARefusedOne() {
		Path missing = this.dir.resolve("nobody.sock");
		runner(SocketTransport.LOCAL, Framing.LINE)
			.withPropertyValues("ipc.clients.echo.path=" + this.dir.resolve("echo.sock"),
					"ipc.clients.nobody.path=" + missing)
			.run((context) -> {
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				SocketIpcClient echo = context.getBean("ipc.clients.echo", SocketIpcClient.class);
				SocketIpcClient nobody = context.getBean("ipc.clients.nobody", SocketIpcClient.class);
				assertThat(echo.state().status()).isEqualTo(IpcResourceStatus.UNKNOWN);
				assertThat(echo.request("hi", String.class)).isEqualTo("echo:hi");
				assertThat(echo.state().status()).isEqualTo(IpcResourceStatus.UP);
				assertThat(echo.kind()).isEqualTo("local client");

				assertThatExceptionOfType(IpcClientException.class).isThrownBy(() -> nobody.request("hi"));
				IpcResourceState state = nobody.state();
				assertThat(state.status()).isEqualTo(IpcResourceStatus.DOWN);
				assertThat(state.reason()).contains(missing.toString());
				assertThat(registry.get("ipc.client").tag("client", "echo").tag("outcome", "success").timer().count())
					.isEqualTo(1);
				assertThat(registry.get("ipc.client").tag("client", "nobody").tag("outcome", "error").timer().count())
					.isEqualTo(1);
			});
	}

	private static double count(MeterRegistry registry, String name, String direction) {
		return registry.get(name).tag("channel", "echo").tag("direction", direction).counter().count();
	}

	private static double failures(MeterRegistry registry, String reason) {
		var counter = registry.find("ipc.connection.failures").tag("reason", reason).counter();
		return (counter != null) ? counter.count() : 0;
	}

}
