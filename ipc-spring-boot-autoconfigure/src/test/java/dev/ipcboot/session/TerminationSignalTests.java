package dev.ipcboot.session;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.ipcboot.session.signalled.SignalledApplication;
import dev.ipcboot.testsupport.Tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A running application (a child JVM) stopped with a signal publishes
 * {@link SessionShutdownEvent} and runs the save phase before its context closes.
 */
class TerminationSignalTests {

	@TempDir
	Path temp;

	@Test
	void sigtermRunsTheSaveListenersBeforeTheContextClosesAndWaitsNoLongerThanTheCommitTimeout() throws Exception {
		Path log = this.temp.resolve("child.log");
		Process child = startChild(log);
		try {
			await().atMost(Duration.ofSeconds(60))
				.until(() -> Files.exists(log) && Files.readString(log).contains("CHILD READY") || !child.isAlive());
			assertThat(child.isAlive()).as("child is running; its output:\n%s", Files.readString(log)).isTrue();
			new ProcessBuilder(Tools.require("kill", "procps").toString(), "-s", "TERM", Long.toString(child.pid()))
				.inheritIO()
				.start()
				.waitFor();
			// the slow listener never finishes: the child exits only because the save
			// phase stops waiting
			await().atMost(Duration.ofSeconds(60)).until(() -> !child.isAlive());
			String output = Files.readString(log);
			assertThat(child.exitValue()).as(output).isEqualTo(128 + 15);
			assertThat(Files.readAllLines(this.temp.resolve("order"))).as(output)
				.containsExactly("saved SIGNAL TERM", "destroyed");
			assertThat(this.temp.resolve("slow-started")).exists();
			assertThat(this.temp.resolve("slow-finished")).doesNotExist();
			assertThat(output).contains("this listener fails on purpose")
				.contains("Carrying on after ipc.session.commit-timeout (1s)");
		}
		finally {
			child.destroyForcibly();
		}
	}

	private Process startChild(Path log) throws Exception {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		List<String> command = new ArrayList<>(List.of(java, "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp",
				System.getProperty("java.class.path"), SignalledApplication.class.getName()));
		command.addAll(List.of("--marker-dir=" + this.temp, "--ipc.session.commit-timeout=1s",
				"--spring.main.banner-mode=off", "--NOTIFY_SOCKET=", "--server.port=0",
				// only the session facility takes part; the others stay out of the
				// child's way
				"--ipc.socket.enabled=false", "--ipc.shared-memory.enabled=false", "--ipc.semaphores.enabled=false",
				"--ipc.dbus.enabled=false", "--ipc.processes.enabled=false"));
		return new ProcessBuilder(command).directory(this.temp.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
	}

}
