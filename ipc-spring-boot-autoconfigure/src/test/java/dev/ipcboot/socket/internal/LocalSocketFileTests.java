package dev.ipcboot.socket.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

import dev.ipcboot.socket.Framing;
import dev.ipcboot.socket.SocketPermissions;
import dev.ipcboot.socket.SocketTransport;
import dev.ipcboot.testsupport.OurThreads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The rules of §3 for socket files, and that nothing of a server outlives its context.
 */
class LocalSocketFileTests {

	@TempDir
	Path dir;

	@ParameterizedTest
	@EnumSource(SocketPermissions.class)
	void socketFileHasTheConfiguredModeRightAfterStart(SocketPermissions permissions) {
		Path path = this.dir.resolve("echo.sock");
		Servers.echo(SocketTransport.LOCAL, Framing.LINE, this.dir)
			.withPropertyValues("ipc.servers.echo.permissions=" + permissions.name().toLowerCase())
			.run((context) -> {
				assertThat(Files.getPosixFilePermissions(path)).isEqualTo(permissions.posix());
				try (Stream<Path> entries = Files.list(this.dir)) {
					// the private directory the socket was bound in is not where clients
					// look
					assertThat(entries.filter((entry) -> !entry.getFileName().toString().startsWith(".")))
						.containsExactly(path);
				}
			});
	}

	@Test
	void staleSocketFileLeftByADeadServerIsReplaced() throws IOException {
		Path path = this.dir.resolve("echo.sock");
		AFUNIXServerSocket dead = AFUNIXServerSocket.newInstance();
		dead.setDeleteOnClose(false);
		dead.bind(AFUNIXSocketAddress.of(path));
		dead.close();
		assertThat(path).exists();
		Servers.echo(SocketTransport.LOCAL, Framing.LINE, this.dir).run((context) -> {
			try (TestClient client = Servers.connect(context, Framing.LINE)) {
				assertThat(client.request("fresh")).isEqualTo("echo:fresh");
			}
		});
	}

	@Test
	void secondServerOnALivePathFailsNamingItWhileTheFirstKeepsServing() {
		Path path = this.dir.resolve("echo.sock");
		Servers.echo(SocketTransport.LOCAL, Framing.LINE, this.dir).run((first) -> {
			Servers.echo(SocketTransport.LOCAL, Framing.LINE, this.dir).run((second) -> {
				assertThat(second).hasFailed();
				assertThat(second.getStartupFailure()).rootCause()
					.hasMessageContaining("socket " + path + " is served by another process (pid "
							+ ProcessHandle.current().pid() + ")");
			});
			try (TestClient client = Servers.connect(first, Framing.LINE)) {
				assertThat(client.request("still mine")).isEqualTo("echo:still mine");
			}
		});
		assertThat(path).doesNotExist();
	}

	@Test
	void socketPathTooLongForSunPathFailsNamingTheLimit() {
		Path path = this.dir.resolve("x".repeat(100) + ".sock");
		Servers.runner()
			.withBean(EchoListener.class)
			.withPropertyValues("ipc.servers.echo.path=" + path)
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.hasMessageContaining("socket path " + path + " is too long");
			});
		assertThat(path).doesNotExist();
	}

	@Test
	void regularFileAtTheSocketPathIsNeverReplaced() throws IOException {
		Path path = this.dir.resolve("echo.sock");
		Files.writeString(path, "precious");
		Servers.echo(SocketTransport.LOCAL, Framing.LINE, this.dir).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining(path + " exists and is not a socket");
		});
		assertThat(path).hasContent("precious");
	}

	@Test
	void regularFileAtAQtStyleNameIsRefusedNamingTheNameProperty() throws IOException {
		Path path = this.dir.resolve("named.sock");
		Files.writeString(path, "precious");
		Servers.echo(SocketTransport.LOCAL, Framing.LINE, this.dir)
			.withPropertyValues("ipc.servers.echo.path=", "ipc.servers.echo.name=" + path)
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.hasMessageStartingWith("ipc.servers.echo.name: ")
					.hasMessageContaining(path + " exists and is not a socket");
			});
		assertThat(path).hasContent("precious");
	}

	@Test
	void afterCloseNoSocketFileNoOpenPortAndNoThreadOfOursRemain() throws IOException {
		Path path = this.dir.resolve("echo.sock");
		AtomicInteger port = new AtomicInteger();
		Servers.runner()
			.withBean(EchoListener.class)
			.withBean(AnotherEcho.class)
			.withPropertyValues("ipc.servers.echo.path=" + path, "ipc.servers.echo2.transport=tcp")
			.run((context) -> {
				port.set(context.getEnvironment().getRequiredProperty("local.ipc.server.echo2.port", Integer.class));
				try (TestClient local = TestClient.local(path, Framing.LINE);
						TestClient tcp = TestClient.tcp(port.get(), Framing.LINE)) {
					assertThat(local.request("a")).isEqualTo("echo:a");
					assertThat(tcp.request("b")).isEqualTo("echo2:b");
					assertThat(OurThreads.alive("ipc-")).isNotEmpty();
				}
			});
		assertThat(path).doesNotExist();
		try (Stream<Path> entries = Files.list(this.dir)) {
			assertThat(entries).isEmpty();
		}
		assertThatExceptionOfType(ConnectException.class).isThrownBy(() -> {
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress("127.0.0.1", port.get()), 2000);
			}
		});
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(OurThreads.alive("ipc-")).isEmpty());
	}

	static class AnotherEcho {

		@dev.ipcboot.listener.IpcListener("echo2")
		String echo(String payload) {
			return "echo2:" + payload;
		}

	}

}
