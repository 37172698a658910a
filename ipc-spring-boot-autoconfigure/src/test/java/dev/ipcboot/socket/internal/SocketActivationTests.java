package dev.ipcboot.socket.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.ipcboot.socket.Framing;
import dev.ipcboot.testsupport.Tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A local and a TCP server adopt the sockets {@code systemd-socket-activate} passed
 * ({@code activation: required} and {@code optional}), answer clients that connected
 * before the application was ready, and, when the application is stopped and started
 * again on the same sockets (as systemd restarts a service: the sockets stay open in the
 * service manager, here the shell the tool started), clients that connect while no
 * application runs are queued, not refused, and answered by the next instance.
 */
class SocketActivationTests {

	@TempDir
	Path dir;

	@Test
	void localAndTcpServersServeSystemdSocketsAcrossAnApplicationRestart() throws Exception {
		Path tool = Tools.require("systemd-socket-activate", "systemd");
		Path socket = this.dir.resolve("act.sock");
		Path script = this.dir.resolve("twice.sh");
		// the tool passes no PATH: absolute paths only. Each run gets its own LISTEN_PID,
		// as systemd gives a restarted service
		Files.writeString(script, """
				#!/bin/sh
				/bin/sh -c 'export LISTEN_PID=$$; exec "$@"' run1 "$@"
				echo "ACTIVATION GAP"
				/bin/sh -c 'export LISTEN_PID=$$; exec "$@"' run2 "$@"
				""");
		Activation activation = activate(socket, (port) -> {
			List<String> command = new ArrayList<>(List.of(tool.toString(), "-l", socket.toString(), "-l",
					"127.0.0.1:" + port, "--fdname=act-local:act-tcp", "/bin/sh", script.toString()));
			command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
					"-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
					ActivationServerApplication.class.getName(), "--spring.main.banner-mode=off", "--NOTIFY_SOCKET=",
					"--ipc.shared-memory.enabled=false", "--ipc.semaphores.enabled=false", "--ipc.dbus.enabled=false",
					"--ipc.processes.enabled=false", "--ipc.session.enabled=false",
					"--ipc.servers.act-local.path=" + socket, "--ipc.servers.act-local.activation=required",
					"--ipc.servers.act-tcp.transport=tcp", "--ipc.servers.act-tcp.port=" + port,
					"--ipc.servers.act-tcp.activation=optional"));
			return command;
		});
		Process process = activation.process();
		List<String> lines = activation.lines();
		int port = activation.port();
		try {
			// first instance: clients connect before it is ready; the kernel queues them
			await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(socket));
			TestClient local1 = TestClient.local(socket, Framing.LINE);
			TestClient tcp1 = TestClient.tcp(port, Framing.LINE);
			assertThat(has(lines, "ACTIVATION READY")).as("connected before the application was ready").isFalse();
			Object socketFile = fileKey(socket);
			local1.socket().setSoTimeout(120_000);
			tcp1.socket().setSoTimeout(120_000);
			local1.send("first-local");
			tcp1.send("first-tcp");
			String pid1 = readyPid(lines, 1, process);
			assertThat(local1.receive()).isEqualTo("echo:" + pid1 + ":first-local");
			assertThat(tcp1.receive()).isEqualTo("echo:" + pid1 + ":first-tcp");
			assertThat(String.join("\n", lines)).contains("from systemd, fd 3").contains("from systemd, fd 4");
			// a listener stopped and started in the same process serves the same sockets
			OutputStream commands = process.getOutputStream();
			commands.write("relisten\n".getBytes(StandardCharsets.UTF_8));
			commands.flush();
			await().atMost(Duration.ofSeconds(30))
				.until(() -> has(lines, "ACTIVATION RELISTENED") || !process.isAlive());
			assertThat(fileKey(socket)).isEqualTo(socketFile);
			try (TestClient again = TestClient.local(socket, Framing.LINE)) {
				assertThat(again.request("again-local")).isEqualTo("echo:" + pid1 + ":again-local");
			}
			try (TestClient again = TestClient.tcp(port, Framing.LINE)) {
				assertThat(again.request("again-tcp")).isEqualTo("echo:" + pid1 + ":again-tcp");
			}
			local1.close();
			tcp1.close();

			// restart: stop the first instance; connect while none runs
			OutputStream stdin = process.getOutputStream();
			stdin.write("stop\n".getBytes(StandardCharsets.UTF_8));
			stdin.flush();
			await().atMost(Duration.ofSeconds(60)).until(() -> has(lines, "ACTIVATION GAP") || !process.isAlive());
			assertThat(fileKey(socket)).as("the socket file systemd made is neither removed nor replaced")
				.isEqualTo(socketFile);
			TestClient local2 = TestClient.local(socket, Framing.LINE);
			TestClient tcp2 = TestClient.tcp(port, Framing.LINE);
			local2.socket().setSoTimeout(120_000);
			tcp2.socket().setSoTimeout(120_000);
			local2.send("second-local");
			tcp2.send("second-tcp");
			String pid2 = readyPid(lines, 2, process);
			assertThat(pid2).isNotEqualTo(pid1);
			assertThat(local2.receive()).isEqualTo("echo:" + pid2 + ":second-local");
			assertThat(tcp2.receive()).isEqualTo("echo:" + pid2 + ":second-tcp");
			local2.close();
			tcp2.close();
			stdin.close();
			assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(String.join("\n", lines)).isTrue();
			assertThat(lines.stream().filter((line) -> line.contains("ACTIVATION STOPPED")).count()).isEqualTo(2);
		}
		catch (AssertionError | Exception ex) {
			throw new AssertionError(ex.getMessage() + "\nchild output:\n" + String.join("\n", lines), ex);
		}
		finally {
			process.descendants().forEach(ProcessHandle::destroy);
			process.destroy();
			process.waitFor(30, TimeUnit.SECONDS);
		}
	}

	@Test
	void systemdSocketKeyAdoptsTheSocketPassedUnderThatNameWithoutActivationSet() throws Exception {
		// SPEC §11: systemd-socket: <name> alone adopts the socket systemd passed under
		// that
		// name (activation optional); the servers' own names differ from the fd names
		Path tool = Tools.require("systemd-socket-activate", "systemd");
		Path socket = this.dir.resolve("spec.sock");
		Activation activation = activate(socket,
				(port) -> List.of(tool.toString(), "-l", socket.toString(), "-l", "127.0.0.1:" + port,
						"--fdname=orders-local:orders-tcp",
						Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseSerialGC",
						"-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
						ActivationServerApplication.class.getName(), "--spring.main.banner-mode=off",
						"--NOTIFY_SOCKET=", "--ipc.shared-memory.enabled=false", "--ipc.semaphores.enabled=false",
						"--ipc.dbus.enabled=false", "--ipc.processes.enabled=false", "--ipc.session.enabled=false",
						"--ipc.servers.act-local.path=" + this.dir.resolve("own.sock"),
						"--ipc.servers.act-local.systemd-socket=orders-local", "--ipc.servers.act-tcp.transport=tcp",
						"--ipc.servers.act-tcp.port=0", "--ipc.servers.act-tcp.systemd-socket=orders-tcp"));
		Process process = activation.process();
		List<String> lines = activation.lines();
		int port = activation.port();
		try {
			await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(socket));
			TestClient local = TestClient.local(socket, Framing.LINE);
			TestClient tcp = TestClient.tcp(port, Framing.LINE);
			local.socket().setSoTimeout(120_000);
			tcp.socket().setSoTimeout(120_000);
			local.send("spec-local");
			tcp.send("spec-tcp");
			String pid = readyPid(lines, 1, process);
			assertThat(local.receive()).isEqualTo("echo:" + pid + ":spec-local");
			assertThat(tcp.receive()).isEqualTo("echo:" + pid + ":spec-tcp");
			assertThat(String.join("\n", lines)).contains("from systemd, fd 3").contains("from systemd, fd 4");
			assertThat(Files.exists(this.dir.resolve("own.sock"))).as("the configured path is not bound").isFalse();
			local.close();
			tcp.close();
			process.getOutputStream().close();
			assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(String.join("\n", lines)).isTrue();
		}
		finally {
			process.destroy();
			process.waitFor(30, TimeUnit.SECONDS);
		}
	}

	@Test
	void tcpServerGivenAUnixSocketBySystemdFailsStartUpNamingSystemdSocket() throws Exception {
		Path tool = Tools.require("systemd-socket-activate", "systemd");
		Path socket = this.dir.resolve("wrong.sock");
		List<String> command = List.of(tool.toString(), "-l", socket.toString(), "--fdname=act-tcp",
				Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseSerialGC",
				"-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
				ActivationServerApplication.class.getName(), "--spring.main.banner-mode=off", "--NOTIFY_SOCKET=",
				"--ipc.shared-memory.enabled=false", "--ipc.semaphores.enabled=false", "--ipc.dbus.enabled=false",
				"--ipc.processes.enabled=false", "--ipc.session.enabled=false",
				"--ipc.servers.act-local.path=" + this.dir.resolve("own.sock"), "--ipc.servers.act-tcp.transport=tcp",
				"--ipc.servers.act-tcp.port=0", "--ipc.servers.act-tcp.activation=required");
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		List<String> lines = collect(process);
		try {
			// the tool starts the application on the first connection
			await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(socket));
			TestClient trigger = TestClient.local(socket, Framing.LINE);
			process.getOutputStream().close();
			assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("%s", lines).isTrue();
			trigger.close();
			String output = String.join("\n", lines);
			assertThat(process.exitValue()).as(output).isNotZero();
			assertThat(has(lines, "ACTIVATION READY")).as(output).isFalse();
			assertThat(output).contains("Property: ipc.servers.act-tcp.systemd-socket")
				.contains("the socket systemd passed as 'act-tcp' (fd 3) is a Unix-domain socket, and this server"
						+ " needs a listening TCP socket");
		}
		finally {
			process.destroy();
			process.waitFor(30, TimeUnit.SECONDS);
		}
	}

	@Test
	void optionalActivationWithoutPassedSocketsBindsAsConfigured() {
		Servers.runner()
			.withBean(EchoListener.class)
			.withPropertyValues("ipc.servers.echo.transport=tcp", "ipc.servers.echo.port=0",
					"ipc.servers.echo.activation=optional")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				try (TestClient client = Servers.connect(context, Framing.LINE)) {
					assertThat(client.request("hi")).isEqualTo("echo:hi");
				}
			});
	}

	private static String readyPid(List<String> lines, int instance, Process process) {
		await().atMost(Duration.ofSeconds(120))
			.until(() -> count(lines, "ACTIVATION READY") >= instance || !process.isAlive());
		List<String> ready = lines.stream().filter((line) -> line.startsWith("ACTIVATION READY pid=")).toList();
		assertThat(ready).as("instance %d did not start", instance).hasSizeGreaterThanOrEqualTo(instance);
		return ready.get(instance - 1).substring("ACTIVATION READY pid=".length()).trim();
	}

	private static boolean has(List<String> lines, String fragment) {
		return count(lines, fragment) > 0;
	}

	private static long count(List<String> lines, String fragment) {
		return lines.stream().filter((line) -> line.contains(fragment)).count();
	}

	private static Object fileKey(Path path) throws IOException {
		return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
	}

	/**
	 * Starts {@code systemd-socket-activate} with the command for a TCP port, which the
	 * tool binds itself. It takes no port 0, so the port is one found free a moment
	 * before; another process may take it meanwhile, and then the tool says so and exits:
	 * it is started again on another port (the Unix socket it made first removed).
	 */
	private static Activation activate(Path socket, IntFunction<List<String>> command) throws Exception {
		for (int attempt = 1;; attempt++) {
			int port = freePort();
			Process process = new ProcessBuilder(command.apply(port)).redirectErrorStream(true).start();
			List<String> lines = collect(process);
			String listening = "Listening on 127.0.0.1:" + port + " ";
			try {
				await().atMost(Duration.ofSeconds(10))
					.until(() -> has(lines, listening) || has(lines, "Address already in use"));
			}
			catch (ConditionTimeoutException ex) {
				// neither: the test goes on and fails with the tool's output
			}
			if (has(lines, listening) || !has(lines, "Address already in use") || attempt == 5) {
				return new Activation(process, lines, port);
			}
			process.destroy();
			process.waitFor(30, TimeUnit.SECONDS);
			Files.deleteIfExists(socket);
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			return probe.getLocalPort();
		}
	}

	/** The tool started on a port, and its output and that of the applications it ran. */
	private record Activation(Process process, List<String> lines, int port) {
	}

	private static List<String> collect(Process process) {
		List<String> lines = new CopyOnWriteArrayList<>();
		Thread reader = new Thread(() -> {
			try (BufferedReader in = new BufferedReader(
					new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
				String line;
				while ((line = in.readLine()) != null) {
					lines.add(line);
				}
			}
			catch (IOException ex) {
				lines.add("OUTPUT FAILED " + ex);
			}
		}, "activation-output");
		reader.setDaemon(true);
		reader.start();
		return lines;
	}

}
