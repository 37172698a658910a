package dev.ipcboot.socket.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Closing the context leaves no thread that keeps the JVM alive (issue 17). The socket
 * engine's shutdown used to start Netty's {@code globalEventExecutor}, a thread that is
 * not a daemon and idles a second before it ends, so every application with a server
 * exited a second after its context closed: twice, through Netty's event-loop group
 * (which listens to each loop's termination) and through the subscribing client's address
 * resolver (which does the same). Checked in a child JVM ({@link EngineExitApplication}),
 * where no other test's Netty runs, right after {@code close()} returns: {@code server}
 * fails without {@link EngineLoopGroup}, {@code subscriber} also without the disabled
 * resolver.
 */
class EngineExitThreadsTests {

	@TempDir
	Path dir;

	@ParameterizedTest
	@ValueSource(strings = { "server", "subscriber" })
	void closingTheContextLeavesNoGlobalEventExecutorNoNonDaemonThreadAndNoThreadOfOurs(String mode) throws Exception {
		Path socket = this.dir.resolve("echo.sock");
		Path out = this.dir.resolve("out.log");
		List<String> command = new ArrayList<>(
				List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classPath(),
						EngineExitApplication.class.getName(), mode, "--ipc.servers.echo.path=" + socket,
						"--ipc.servers.echo.framing=line", "--ipc.session.logind.enabled=false",
						"--spring.main.banner-mode=off"));
		if (mode.equals("subscriber")) {
			command.addAll(List.of("--ipc.clients.feed.path=" + socket, "--ipc.clients.feed.framing=line",
					"--ipc.clients.feed.subscribe=true"));
		}
		else {
			command.addAll(List.of("--ipc.clients.plain.path=" + socket, "--ipc.clients.plain.framing=line"));
		}
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
		try {
			assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("child JVM finished").isTrue();
		}
		finally {
			process.destroyForcibly();
		}
		String output = Files.readString(out);
		assertThat(process.exitValue()).as(output).isZero();
		List<String> lines = output.lines().toList();
		assertThat(lines).as(output).contains("reply=echo:ping");
		assertThat(lines).as("threads alive after close (non-daemon or globalEventExecutor), then ours:\n" + output)
			.contains("after-close=", "ours-after-close=");
		assertThat(socket).as("socket file after close").doesNotExist();
	}

	private static String classPath() {
		String surefire = System.getProperty("surefire.test.class.path");
		return (surefire != null && !surefire.isBlank()) ? surefire : System.getProperty("java.class.path");
	}

}
