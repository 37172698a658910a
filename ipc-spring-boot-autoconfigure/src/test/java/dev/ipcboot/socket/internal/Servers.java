package dev.ipcboot.socket.internal;

import java.nio.file.Path;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

import dev.ipcboot.autoconfigure.IpcListenerAutoConfiguration;
import dev.ipcboot.autoconfigure.IpcMetricsAutoConfiguration;
import dev.ipcboot.autoconfigure.SocketAutoConfiguration;
import dev.ipcboot.socket.Framing;
import dev.ipcboot.socket.ServerBinding;
import dev.ipcboot.socket.SocketTransport;

/** Builds context runners with one server named {@code echo}, and connects to it. */
final class Servers {

	private Servers() {
	}

	static ApplicationContextRunner runner() {
		return new ApplicationContextRunner().withConfiguration(
				AutoConfigurations.of(IpcListenerAutoConfiguration.class, SocketAutoConfiguration.class));
	}

	static ApplicationContextRunner echo(SocketTransport transport, Framing framing, Path dir) {
		return echo("echo", transport, framing, dir);
	}

	/**
	 * An echo server with a name of the test's choosing: one that no other test uses
	 * tells its log lines apart from those of other tests' servers in the same JVM.
	 */
	static ApplicationContextRunner echo(String name, SocketTransport transport, Framing framing, Path dir) {
		ApplicationContextRunner runner = runner().withBean(EchoListener.class)
			.withPropertyValues("test.echo.server=" + name,
					"ipc.servers." + name + ".transport=" + transport.name().toLowerCase(),
					"ipc.servers." + name + ".framing=" + framing.name().toLowerCase().replace('_', '-'));
		if (transport == SocketTransport.LOCAL) {
			return runner.withPropertyValues("ipc.servers." + name + ".path=" + dir.resolve(name + ".sock"));
		}
		return runner.withPropertyValues("ipc.servers." + name + ".port=0");
	}

	/**
	 * A length-prefixed server {@code echo} with the given listener, its metrics in a
	 * {@link SimpleMeterRegistry} and its events in an {@link EventRecorder}.
	 */
	static ApplicationContextRunner meteredLengthPrefixed(SocketTransport transport, Class<?> listener, Path dir) {
		ApplicationContextRunner runner = runner()
			.withConfiguration(AutoConfigurations.of(IpcMetricsAutoConfiguration.class))
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withBean(EventRecorder.class)
			.withBean(listener)
			.withPropertyValues("ipc.servers.echo.transport=" + transport.name().toLowerCase(),
					"ipc.servers.echo.framing=length-prefixed");
		return (transport == SocketTransport.LOCAL)
				? runner.withPropertyValues("ipc.servers.echo.path=" + dir.resolve("echo.sock"))
				: runner.withPropertyValues("ipc.servers.echo.port=0");
	}

	static TestClient connect(ApplicationContext context, Framing framing) throws java.io.IOException {
		return connect(context, "echo", framing);
	}

	static TestClient connect(ApplicationContext context, String name, Framing framing) throws java.io.IOException {
		SocketServer server = context.getBean(SocketServers.class).get(name);
		if (server.settings().binding() instanceof ServerBinding.Local) {
			return TestClient.local(Path.of(server.address()), framing);
		}
		int port = context.getEnvironment().getRequiredProperty("local.ipc.server." + name + ".port", Integer.class);
		return TestClient.tcp(port, framing);
	}

}
