package dev.ipcboot.socket.internal;

import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import org.junit.jupiter.api.Test;

import org.springframework.context.ApplicationContext;

import dev.ipcboot.listener.IpcListener;
import dev.ipcboot.socket.Framing;
import dev.ipcboot.socket.IpcConnection;
import dev.ipcboot.socket.SocketOptions;
import dev.ipcboot.testsupport.Tools;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code keep-alive}, {@code tcp-no-delay}, {@code receive-buffer-size},
 * {@code send-buffer-size} and {@code backlog} of a TCP server are on the real sockets:
 * the options are read back from the accepted connection with getsockopt (Netty's epoll
 * channel config asks the kernel) and the backlog from {@code ss -ltn} (its Send-Q column
 * of a listening socket is the backlog).
 */
class SocketServerTcpOptionsTests {

	@Test
	void configuredOptionsAreOnTheListeningSocketAndTheAcceptedConnection() {
		Servers.runner()
			.withBean(Capturing.class)
			.withPropertyValues("ipc.servers.echo.transport=tcp", "ipc.servers.echo.port=0",
					"ipc.servers.echo.keep-alive=true", "ipc.servers.echo.tcp-no-delay=false",
					"ipc.servers.echo.receive-buffer-size=48KB", "ipc.servers.echo.send-buffer-size=80KB",
					"ipc.servers.echo.backlog=7")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				int port = port(context);
				assertThat(listenBacklog(port)).isEqualTo(7);
				try (TestClient client = TestClient.tcp(port, Framing.LINE)) {
					assertThat(client.request("hello")).isEqualTo("echo:hello");
					Channel accepted = acceptedChannel(context);
					assertThat(accepted.config().getOption(ChannelOption.SO_KEEPALIVE)).isTrue();
					assertThat(accepted.config().getOption(ChannelOption.TCP_NODELAY)).isFalse();
					// Linux doubles what setsockopt was given for its bookkeeping
					assertThat(accepted.config().getOption(ChannelOption.SO_RCVBUF)).isEqualTo(2 * 48 * 1024);
					assertThat(accepted.config().getOption(ChannelOption.SO_SNDBUF)).isEqualTo(2 * 80 * 1024);
				}
			});
	}

	@Test
	void withoutOptionsKeepAliveIsOffNagleIsOffAndTheBacklogIs128() {
		Servers.runner()
			.withBean(Capturing.class)
			.withPropertyValues("ipc.servers.echo.transport=tcp", "ipc.servers.echo.port=0")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				int port = port(context);
				assertThat(listenBacklog(port)).isEqualTo(SocketOptions.DEFAULT_BACKLOG);
				try (TestClient client = TestClient.tcp(port, Framing.LINE)) {
					assertThat(client.request("hello")).isEqualTo("echo:hello");
					Channel accepted = acceptedChannel(context);
					assertThat(accepted.config().getOption(ChannelOption.SO_KEEPALIVE)).isFalse();
					assertThat(accepted.config().getOption(ChannelOption.TCP_NODELAY)).isTrue();
				}
			});
	}

	private static int port(ApplicationContext context) {
		return context.getEnvironment().getRequiredProperty("local.ipc.server.echo.port", Integer.class);
	}

	private static Channel acceptedChannel(ApplicationContext context) throws ReflectiveOperationException {
		List<IpcConnection> connections = context.getBean(Capturing.class).connections;
		assertThat(connections).hasSize(1);
		Field field = ServerConnection.class.getDeclaredField("channel");
		field.setAccessible(true);
		return (Channel) field.get(connections.get(0));
	}

	/** The Send-Q of a listening socket in {@code ss -ltn} is its backlog. */
	private static int listenBacklog(int port) throws Exception {
		Process ss = new ProcessBuilder(Tools.require("ss", "iproute2").toString(), "-Hltn", "sport = :" + port)
			.redirectErrorStream(true)
			.start();
		String output = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
		assertThat(ss.waitFor()).as(output).isZero();
		String[] columns = output.split("\\s+");
		assertThat(columns).as("ss -ltn for port %d: %s", port, output).hasSizeGreaterThan(3);
		assertThat(columns[0]).isEqualTo("LISTEN");
		return Integer.parseInt(columns[2]);
	}

	/** Echoes and keeps the connection each request came on. */
	static class Capturing {

		final List<IpcConnection> connections = new CopyOnWriteArrayList<>();

		@IpcListener("echo")
		String echo(String payload, IpcConnection connection) {
			if (!this.connections.contains(connection)) {
				this.connections.add(connection);
			}
			return "echo:" + payload;
		}

	}

}
