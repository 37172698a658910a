package dev.ipcboot.socket.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.messaging.handler.annotation.Header;

import dev.ipcboot.listener.IpcListener;
import dev.ipcboot.socket.Framing;
import dev.ipcboot.socket.SocketConnectionFailedEvent;
import dev.ipcboot.socket.SocketHeaders;
import dev.ipcboot.socket.SocketTransport;
import dev.ipcboot.testsupport.LogLines;
import dev.ipcboot.testsupport.Tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Foreign peers talk to our servers: socat over local, abstract and TCP sockets, and Qt's
 * QLocalSocket (PyQt5) framing with QDataStream; the kernel's peer credentials reach the
 * listener and {@code allowed-uids} refuses other users (on an abstract name, which has
 * no file mode, every other user unless allowed-uids admits it).
 */
@ExtendWith(OutputCaptureExtension.class)
class ForeignClientTests {

	@TempDir
	Path dir;

	@Test
	void socatRoundTripsALineOverALocalSocket() {
		String socat = Tools.require("socat", "socat").toString();
		Servers.echo(SocketTransport.LOCAL, Framing.LINE, this.dir).run((context) -> {
			String path = context.getBean(SocketServers.class).get("echo").address();
			assertThat(ForeignProcess.run(List.of(socat, "-t", "5", "-", "UNIX-CONNECT:" + path), "hello\n"))
				.isEqualTo("echo:hello\n");
		});
	}

	@Test
	void socatRoundTripsALineOverTcp() {
		String socat = Tools.require("socat", "socat").toString();
		Servers.echo(SocketTransport.TCP, Framing.LINE, this.dir).run((context) -> {
			String port = context.getEnvironment().getRequiredProperty("local.ipc.server.echo.port");
			assertThat(ForeignProcess.run(List.of(socat, "-t", "5", "-", "TCP:127.0.0.1:" + port), "hello\n"))
				.isEqualTo("echo:hello\n");
		});
	}

	@Test
	void socatReachesAServerInTheAbstractNamespace() {
		String socat = Tools.require("socat", "socat").toString();
		String name = "ipc-test-abstract-" + ProcessHandle.current().pid();
		Servers.runner()
			.withBean(EchoListener.class)
			.withPropertyValues("ipc.servers.echo.name=" + name, "ipc.servers.echo.abstract=true")
			.run((context) -> {
				assertThat(context.getBean(SocketServers.class).get("echo").address()).isEqualTo("@" + name);
				assertThat(Path.of("/tmp", name)).doesNotExist();
				assertThat(ForeignProcess.run(List.of(socat, "-t", "5", "-", "ABSTRACT-CONNECT:" + name), "hi\n"))
					.isEqualTo("echo:hi\n");
			});
	}

	@Test
	void clientRunningAsAnotherUserIsRefusedByAnAbstractServerWithoutAllowedUids(CapturedOutput output)
			throws Exception {
		String socat = Tools.require("socat", "socat").toString();
		String setpriv = Tools.require("setpriv", "util-linux").toString();
		String ownUid = new String(new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes()).trim();
		assertThat(ownUid).as("this test switches users with setpriv, so it runs as root").isEqualTo("0");
		String name = "ipc-test-abstract-uid-" + ProcessHandle.current().pid();
		List<String> nobody = List.of(setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", socat, "-t", "5",
				"-", "ABSTRACT-CONNECT:" + name);
		// a server name no other test uses: the output capture takes the whole JVM's
		// lines
		Servers.runner()
			.withBean(EchoListener.class)
			.withBean(EventRecorder.class)
			.withPropertyValues("test.echo.server=uid-checked-echo", "ipc.servers.uid-checked-echo.name=" + name,
					"ipc.servers.uid-checked-echo.abstract=true")
			.run((context) -> {
				assertThat(ForeignProcess.run(nobody, "hello\n")).as("uid 65534 gets no answer").isEmpty();
				EventRecorder recorder = context.getBean(EventRecorder.class);
				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(recorder.of(SocketConnectionFailedEvent.class))
						.anySatisfy((event) -> assertThat(event.reason())
							.startsWith("peer uid 65534 is not the server's own uid [0]")));
				assertThat(ForeignProcess.run(List.of(socat, "-t", "5", "-", "ABSTRACT-CONNECT:" + name), "hi\n"))
					.as("root, the server's own user, is served")
					.isEqualTo("echo:hi\n");
			});
		assertThat(LogLines.of(output).mentioning("Socket server 'uid-checked-echo' refused"))
			.as("one WARN line for the refusal")
			.singleElement(InstanceOfAssertFactories.STRING)
			.contains(" WARN ")
			.contains("uid 65534");
		Servers.runner()
			.withBean(EchoListener.class)
			.withPropertyValues("ipc.servers.echo.name=" + name, "ipc.servers.echo.abstract=true",
					"ipc.servers.echo.allowed-uids=0,65534")
			.run((context) -> assertThat(ForeignProcess.run(nobody, "hello\n"))
				.as("allowed-uids admits uid 65534 explicitly")
				.isEqualTo("echo:hello\n"));
	}

	@Test
	void qtLocalSocketExchangesJsonFramedWithQDataStream() throws Exception {
		String python = Tools.requirePythonModule("PyQt5.QtNetwork", "python3-pyqt5");
		Path script = this.dir.resolve("client.py");
		Files.writeString(script, QtLocalSocketScript.connectedThen("""
				out << QByteArray(b'{"item":"tea","quantity":3}')
				socket.flush()
				reply = QByteArray()
				stream = QDataStream(socket)
				while True:
				    stream.startTransaction()
				    stream >> reply
				    if stream.commitTransaction():
				        break
				    if not socket.waitForReadyRead(5000):
				        sys.exit("read: " + socket.errorString())
				print(bytes(reply).decode())
				"""));
		Servers.runner()
			.withBean(OrderListener.class)
			.withPropertyValues("ipc.servers.orders.path=" + this.dir.resolve("orders.sock"),
					"ipc.servers.orders.framing=length-prefixed")
			.run((context) -> assertThat(ForeignProcess
				.run(List.of(python, script.toString(), this.dir.resolve("orders.sock").toString()), ""))
				.isEqualTo("{\"item\":\"tea\",\"quantity\":3,\"status\":\"accepted\"}\n"));
	}

	@Test
	void peerCredentialHeadersAreThoseOfTheClientProcess() {
		String socat = Tools.require("socat", "socat").toString();
		Servers.runner()
			.withBean(WhoListener.class)
			.withPropertyValues("ipc.servers.who.path=" + this.dir.resolve("who.sock"))
			.run((context) -> {
				ForeignProcess client = ForeignProcess
					.start(List.of(socat, "-t", "5", "-", "UNIX-CONNECT:" + this.dir.resolve("who.sock")));
				String uid = new String(new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes()).trim();
				String gid = new String(new ProcessBuilder("id", "-g").start().getInputStream().readAllBytes()).trim();
				assertThat(client.input("who\n").output())
					.isEqualTo("pid=" + client.pid() + " uid=" + uid + " gid=" + gid + "\n");
			});
	}

	@Test
	void clientRunningAsAnotherUserIsRefusedByAllowedUids() throws Exception {
		String socat = Tools.require("socat", "socat").toString();
		String setpriv = Tools.require("setpriv", "util-linux").toString();
		Files.setPosixFilePermissions(this.dir, PosixFilePermissions.fromString("rwxr-xr-x"));
		String ownUid = new String(new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes()).trim();
		assertThat(ownUid).as("this test switches users with setpriv, so it runs as root").isEqualTo("0");
		List<String> nobody = List.of(setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", socat, "-t", "5",
				"-", "UNIX-CONNECT:" + this.dir.resolve("echo.sock"));
		Servers.echo(SocketTransport.LOCAL, Framing.LINE, this.dir)
			.withBean(EventRecorder.class)
			.withPropertyValues("ipc.servers.echo.permissions=world", "ipc.servers.echo.allowed-uids=0")
			.run((context) -> {
				assertThat(ForeignProcess.run(nobody, "hello\n")).isEmpty();
				EventRecorder recorder = context.getBean(EventRecorder.class);
				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(recorder.of(SocketConnectionFailedEvent.class))
						.anySatisfy((event) -> assertThat(event.reason())
							.isEqualTo("peer uid 65534 is not in allowed-uids [0]")));
				try (TestClient own = Servers.connect(context, Framing.LINE)) {
					assertThat(own.request("root is allowed")).isEqualTo("echo:root is allowed");
				}
			});
		Servers.echo(SocketTransport.LOCAL, Framing.LINE, this.dir)
			.withPropertyValues("ipc.servers.echo.permissions=world")
			.run((context) -> assertThat(ForeignProcess.run(nobody, "hello\n"))
				.as("without allowed-uids the file mode lets uid 65534 in")
				.isEqualTo("echo:hello\n"));
	}

	static class WhoListener {

		@IpcListener("who")
		String who(@Header(SocketHeaders.PEER_PID) int pid, @Header(SocketHeaders.PEER_UID) int uid,
				@Header(SocketHeaders.PEER_GID) int gid) {
			return "pid=" + pid + " uid=" + uid + " gid=" + gid;
		}

	}

}
