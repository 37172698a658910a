package dev.ipcboot.process;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Children that misbehave in ways a pipe reader must not mistake: one that closes its
 * output but keeps running is still running (the end of its output is not its end) and is
 * stopped with the context; a directory given as the command fails to start naming it.
 */
class HostileChildTests {

	@TempDir
	Path directory;

	@Test
	void childThatClosesStdoutAndStderrButKeepsRunningStaysRunningAndIsStoppedWithTheContext() throws Exception {
		Path marker = this.directory.resolve("closed");
		long[] pid = new long[1];
		ProcessTestSupport.runner().run((context) -> {
			List<String> lines = new CopyOnWriteArrayList<>();
			ManagedProcess child = context.getBean(ProcessManager.class)
				.start(ProcessSpec.of("mute", "sh", "-c",
						"echo before; exec >&- 2>&-; echo $$ > " + marker + "; exec sleep 60"),
						(process, stream, line) -> lines.add(line));
			await().atMost(Duration.ofSeconds(10))
				.until(() -> Files.exists(marker) && !Files.readString(marker).isBlank());
			pid[0] = Long.parseLong(Files.readString(marker).trim());
			assertThat(lines).containsExactly("before");
			assertThat(child.waitForFinished(Duration.ofSeconds(1))).as("finished after closing its output").isFalse();
			assertThat(child.state()).isEqualTo(ProcessState.RUNNING);
			assertThat(ProcessHandle.of(pid[0])).hasValueSatisfying((handle) -> assertThat(handle.isAlive()).isTrue());
		});
		// the starter reaps its own children: gone, not a zombie
		await().atMost(Duration.ofSeconds(10))
			.until(() -> ProcessHandle.of(pid[0]).map((handle) -> !handle.isAlive()).orElse(true));
	}

	@Test
	void directoryGivenAsTheCommandFailsToStartNamingIt() {
		ProcessTestSupport.runner().run((context) -> {
			ProcessManager manager = context.getBean(ProcessManager.class);
			assertThatExceptionOfType(ProcessStartException.class)
				.isThrownBy(() -> manager.start(ProcessSpec.of("dir", this.directory.toString())))
				.withMessageContaining(this.directory.toString())
				.withMessageContaining("Permission denied");
		});
	}

}
