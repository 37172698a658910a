package dev.ipcboot.process;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.ipcboot.internal.natives.ChildProcesses;
import dev.ipcboot.testsupport.OurThreads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link ProcessManager#startDetached}: not supervised, not stopped with the context.
 */
class DetachedProcessTests {

	@TempDir
	Path directory;

	@Test
	void detachedProcessOutlivesTheContextAndWritesToItsFile() throws Exception {
		Path out = this.directory.resolve("detached.txt");
		long[] pid = new long[1];
		ProcessTestSupport.runner().run((context) -> {
			pid[0] = context.getBean(ProcessManager.class)
				.startDetached(ProcessSpec.of("daemon", "sh", "-c", "echo started; exec sleep 300")
					.withRedirects(Redirect.PIPE, Redirect.file(out), Redirect.NULL));
			assertThat(pid[0]).isPositive();
			await().untilAsserted(() -> assertThat(out).hasContent("started"));
		});
		try {
			await().during(Duration.ofMillis(300))
				.atMost(Duration.ofSeconds(3))
				.until(() -> ProcessTestSupport.isLive(pid[0]));
			await().untilAsserted(() -> assertThat(OurThreads.alive("ipc-process")).isEmpty());
		}
		finally {
			ProcessHandle.of(pid[0]).ifPresent(ProcessHandle::destroyForcibly);
			if (!"jdk".equals(System.getProperty(LauncherSupport.LAUNCHER_PROPERTY))) {
				// still this JVM's child, and the manager no longer reaps it
				ChildProcesses.await((int) pid[0]);
			}
		}
		await().until(() -> !ProcessTestSupport.isLive(pid[0]));
	}

	@Test
	void detachedProcessThatEndsWhileTheApplicationRunsIsReapedAndLeavesNoZombie() {
		ProcessTestSupport.runner().run((context) -> {
			long pid = context.getBean(ProcessManager.class).startDetached(ProcessSpec.of("brief", "true"));
			await().atMost(Duration.ofSeconds(5)).until(() -> !Files.exists(Path.of("/proc", Long.toString(pid))));
		});
	}

	@Test
	void detachedProcessWithMergedOutputWritesBothStreamsToItsStdoutFile() throws Exception {
		Path out = this.directory.resolve("merged.txt");
		ProcessTestSupport.runner().run((context) -> {
			context.getBean(ProcessManager.class)
				.startDetached(ProcessSpec.of("both", "sh", "-c", "echo out; echo err >&2")
					.withOutput(OutputMode.MERGED)
					.withRedirects(Redirect.NULL, Redirect.file(out), Redirect.PIPE));
			await().untilAsserted(() -> assertThat(out).hasContent("out\nerr"));
		});
	}

}
