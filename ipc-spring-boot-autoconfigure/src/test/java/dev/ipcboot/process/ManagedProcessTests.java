package dev.ipcboot.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.ipcboot.process.ProcessTestSupport.Events;

import static dev.ipcboot.process.ProcessTestSupport.command;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * QProcess-style handles of real children: standard input, exit code and status, waits,
 * and start failures.
 */
class ManagedProcessTests {

	private static final Duration FIVE_SECONDS = Duration.ofSeconds(5);

	@TempDir
	Path directory;

	@Test
	void writingToCatEchoesTheLineAndClosingStdinEndsIt() {
		ProcessTestSupport.runner().run((context) -> {
			List<String> lines = new CopyOnWriteArrayList<>();
			ManagedProcess cat = context.getBean(ProcessManager.class)
				.start(ProcessSpec.of("cat", "cat"), (process, stream, line) -> lines.add(stream + ":" + line));
			assertThat(cat.waitForStarted(FIVE_SECONDS)).isTrue();
			assertThat(cat.state()).isEqualTo(ProcessState.RUNNING);
			cat.write("ping ü\n");
			await().untilAsserted(() -> assertThat(lines).containsExactly("stdout:ping ü"));
			cat.closeStdin();
			assertThat(cat.waitForFinished(FIVE_SECONDS)).isTrue();
			assertThat(cat.state()).isEqualTo(ProcessState.NOT_RUNNING);
			assertThat(cat.exitStatus()).isEqualTo(ExitStatus.NORMAL);
			assertThat(cat.exitCode()).isZero();
			assertThat(cat.error()).isNull();
		});
	}

	@Test
	void writingToAProcessThatNoLongerReadsIsAWriteError() {
		ProcessTestSupport.runner().run((context) -> {
			ManagedProcess done = context.getBean(ProcessManager.class).start(ProcessSpec.of("done", "true"));
			assertThat(done.waitForFinished(FIVE_SECONDS)).isTrue();
			assertThatExceptionOfType(UncheckedIOException.class).isThrownBy(() -> done.write("anyone there?\n"))
				.withMessageContaining("'done'")
				.withMessageContaining("Broken pipe");
			assertThat(done.error()).isEqualTo(ProcessError.WRITE_ERROR);
			done.closeStdin();
			assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> done.write("again\n"))
				.withMessageContaining("closed");
		});
	}

	@Test
	void exitCodeIsReportedWithNormalStatusEvenWhenItLooksLikeASignal() {
		ProcessTestSupport.runner().run((context) -> {
			ProcessManager manager = context.getBean(ProcessManager.class);
			ManagedProcess three = manager.start(ProcessSpec.of("three", "sh", "-c", "exit 3"));
			ManagedProcess fake = manager.start(ProcessSpec.of("fake", "sh", "-c", "exit 139"));
			assertThat(three.waitForFinished(FIVE_SECONDS)).isTrue();
			assertThat(fake.waitForFinished(FIVE_SECONDS)).isTrue();
			assertThat(three.exitCode()).isEqualTo(3);
			assertThat(three.exitStatus()).isEqualTo(ExitStatus.NORMAL);
			assertThat(fake.exitCode()).isEqualTo(139);
			assertThat(fake.exitStatus()).isEqualTo(ExitStatus.NORMAL);
			assertThat(fake.exitSignal()).isZero();
			List<ProcessFinishedEvent> finished = context.getBean(Events.class).of(ProcessFinishedEvent.class);
			assertThat(finished).extracting(ProcessFinishedEvent::getExitCode).containsExactlyInAnyOrder(3, 139);
		});
	}

	@Test
	@Tag(ProcessTestSupport.NATIVE_LAUNCHER)
	void crashBySegvIsReportedAsCrashedWithTheSignal() throws Exception {
		ProcessTestSupport.runner().run((context) -> {
			ManagedProcess sleep = context.getBean(ProcessManager.class)
				.start(ProcessSpec.of("sleeper", "sleep", "30").withWorkingDirectory(this.directory));
			// the shell's own kill, so that the test needs no procps
			Process killer = new ProcessBuilder("/bin/sh", "-c", "kill -SEGV " + sleep.pid()).start();
			assertThat(killer.waitFor()).isZero();
			assertThat(sleep.waitForFinished(FIVE_SECONDS)).isTrue();
			assertThat(sleep.exitStatus()).isEqualTo(ExitStatus.CRASHED);
			assertThat(sleep.exitSignal()).isEqualTo(11);
			assertThat(sleep.exitCode()).isEqualTo(-1);
			assertThat(sleep.error()).isEqualTo(ProcessError.CRASHED);
			assertThat(context.getBean(Events.class).of(ProcessFinishedEvent.class)).singleElement()
				.satisfies((event) -> {
					assertThat(event.getExitStatus()).isEqualTo(ExitStatus.CRASHED);
					assertThat(event.getExitSignal()).isEqualTo(11);
					assertThat(event.getPid()).isEqualTo(sleep.pid());
				});
		});
	}

	@Test
	void waitForFinishedTimesOutWhileTheProcessRuns() {
		ProcessTestSupport.runner().run((context) -> {
			ManagedProcess sleep = context.getBean(ProcessManager.class)
				.start(ProcessSpec.of("sleeper", "sleep", "30"));
			assertThat(sleep.waitForFinished(Duration.ofMillis(200))).isFalse();
			assertThat(sleep.error()).isEqualTo(ProcessError.TIMED_OUT);
			assertThat(sleep.state()).isEqualTo(ProcessState.RUNNING);
			sleep.kill();
			assertThat(sleep.waitForFinished(FIVE_SECONDS)).isTrue();
			assertThat(sleep.exitSignal()).isEqualTo(9);
		});
	}

	@Test
	void terminateSendsSigterm() {
		ProcessTestSupport.runner().run((context) -> {
			ManagedProcess sleep = context.getBean(ProcessManager.class)
				.start(ProcessSpec.of("sleeper", "sleep", "30"));
			sleep.terminate();
			assertThat(sleep.waitForFinished(FIVE_SECONDS)).isTrue();
			assertThat(sleep.exitStatus()).isEqualTo(ExitStatus.CRASHED);
			assertThat(sleep.exitSignal()).isEqualTo(15);
		});
	}

	@Test
	void missingExecutableFailsToStartWithAnEventAndAnExceptionNamingTheCommand() {
		ProcessTestSupport.runner().run((context) -> {
			ProcessManager manager = context.getBean(ProcessManager.class);
			assertThatExceptionOfType(ProcessStartException.class)
				.isThrownBy(() -> manager.start(ProcessSpec.of("ghost", "no-such-program-4711", "--flag")))
				.withMessageContaining("no-such-program-4711")
				.withMessageContaining("No such file or directory");
			assertThat(context.getBean(Events.class).of(ProcessFailedToStartEvent.class)).singleElement()
				.satisfies((event) -> {
					assertThat(event.resourceName()).isEqualTo("ghost");
					assertThat(event.getReason()).contains("No such file or directory");
				});
		});
	}

	@Test
	void missingWorkingDirectoryFailsToStartNamingTheDirectory() {
		Path missing = this.directory.resolve("missing");
		ProcessTestSupport.runner().run((context) -> {
			ProcessManager manager = context.getBean(ProcessManager.class);
			assertThatExceptionOfType(ProcessStartException.class)
				.isThrownBy(() -> manager.start(ProcessSpec.of("lost", "true").withWorkingDirectory(missing)))
				.withMessageContaining("[true]")
				.withMessageContaining(missing.toString());
			assertThat(context.getBean(Events.class).of(ProcessFailedToStartEvent.class)).hasSize(1);
		});
	}

	@Test
	void nonExecutableFileFailsToStartWithPermissionDenied() throws IOException {
		Path script = Files.writeString(this.directory.resolve("script.sh"), "#!/bin/sh\necho hi\n");
		ProcessTestSupport.runner().run((context) -> {
			ProcessManager manager = context.getBean(ProcessManager.class);
			assertThatExceptionOfType(ProcessStartException.class)
				.isThrownBy(() -> manager.start(ProcessSpec.of("plain", script.toString())))
				.withMessageContaining(script.toString())
				.withMessageContaining("Permission denied");
			assertThat(context.getBean(Events.class).of(ProcessFailedToStartEvent.class)).singleElement()
				.satisfies((event) -> assertThat(event.getReason()).contains("Permission denied"));
		});
	}

	@Test
	void configuredProcessWithMissingWorkingDirectoryIsAStartFailureNotAConfigurationError() {
		ProcessTestSupport.runner()
			.withPropertyValues(command("worker", "true"))
			.withPropertyValues("ipc.processes.worker.working-directory=" + this.directory.resolve("nowhere"),
					"ipc.processes.worker.restart=never")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(Events.class).of(ProcessFailedToStartEvent.class)).hasSize(1);
				assertThat(context.getBean(ProcessManager.class).find("worker")).get()
					.extracting(ManagedProcess::error)
					.isEqualTo(ProcessError.FAILED_TO_START);
			});
	}

	@Test
	void argumentWithShellMetacharactersArrivesLiterally() {
		Path marker = this.directory.resolve("injected");
		String argument = "a; touch " + marker + " $(touch " + marker + ") `touch " + marker
				+ "` \"double\" 'single' \\ $HOME";
		ProcessTestSupport.runner().run((context) -> {
			List<String> lines = new CopyOnWriteArrayList<>();
			ManagedProcess printf = context.getBean(ProcessManager.class)
				.start(ProcessSpec.of("argv", "printf", "[%s]\\n", argument),
						(process, stream, line) -> lines.add(line));
			assertThat(printf.waitForFinished(FIVE_SECONDS)).isTrue();
			await().untilAsserted(() -> assertThat(lines).containsExactly("[" + argument + "]"));
			assertThat(marker).doesNotExist();
		});
	}

	@Test
	void shellTrueRunsTheJoinedCommandThroughSh() {
		ProcessTestSupport.runner().run((context) -> {
			List<String> lines = new CopyOnWriteArrayList<>();
			ManagedProcess shell = context.getBean(ProcessManager.class)
				.start(ProcessSpec.of("shell", "echo", "$((1 + 2))", "|", "tr", "3", "x").withShell(true),
						(process, stream, line) -> lines.add(line));
			assertThat(shell.waitForFinished(FIVE_SECONDS)).isTrue();
			await().untilAsserted(() -> assertThat(lines).containsExactly("x"));
		});
	}

	@Test
	void environmentIsAddedOrReplacedAndWorkingDirectoryApplies() {
		ProcessTestSupport.runner().run((context) -> {
			ProcessManager manager = context.getBean(ProcessManager.class);
			List<String> lines = new CopyOnWriteArrayList<>();
			ManagedProcess added = manager.start(ProcessSpec.of("env", "sh", "-c", "echo $MODE:$HOME:$(pwd)")
				.withEnvironment(java.util.Map.of("MODE", "fast"), false)
				.withWorkingDirectory(this.directory), (process, stream, line) -> lines.add(line));
			assertThat(added.waitForFinished(FIVE_SECONDS)).isTrue();
			ManagedProcess clean = manager.start(
					ProcessSpec.of("clean", "/bin/sh", "-c", "echo clean:$MODE:$HOME")
						.withEnvironment(java.util.Map.of("MODE", "slow"), true),
					(process, stream, line) -> lines.add(line));
			assertThat(clean.waitForFinished(FIVE_SECONDS)).isTrue();
			await().untilAsserted(() -> assertThat(lines).containsExactlyInAnyOrder(
					"fast:" + System.getenv("HOME") + ":" + this.directory.toRealPath(), "clean:slow:"));
		});
	}

}
