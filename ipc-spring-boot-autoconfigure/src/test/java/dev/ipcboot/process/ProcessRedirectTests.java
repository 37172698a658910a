package dev.ipcboot.process;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.core.NestedExceptionUtils;

import dev.ipcboot.IpcConfigurationException;
import dev.ipcboot.listener.IpcListener;
import dev.ipcboot.process.ProcessTestSupport.Events;

import static dev.ipcboot.process.ProcessTestSupport.command;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Standard streams redirected to the null device and to files, set up by the spawn
 * itself: {@code stdin: null|file:}, {@code stdout}/{@code stderr: null|file:|append:}.
 */
class ProcessRedirectTests {

	private static final Duration TEN_SECONDS = Duration.ofSeconds(10);

	@TempDir
	Path directory;

	@Test
	void stdinFromAFileIsWhatTheChildReads() throws Exception {
		Path input = Files.writeString(this.directory.resolve("in.txt"), "from a file\nsecond line\n");
		ProcessTestSupport.runner().run((context) -> {
			ProcessResult result = context.getBean(ProcessManager.class)
				.run(ProcessSpec.of("cat", "cat").withRedirects(Redirect.file(input), Redirect.PIPE, Redirect.PIPE),
						TEN_SECONDS);
			assertThat(result.stdoutText()).isEqualTo("from a file\nsecond line\n");
			assertThat(result.succeeded()).isTrue();
		});
	}

	@Test
	void stdinFromTheNullDeviceEndsAReaderAtOnce() {
		ProcessTestSupport.runner().run((context) -> {
			List<String> lines = new CopyOnWriteArrayList<>();
			ManagedProcess cat = context.getBean(ProcessManager.class)
				.start(ProcessSpec.of("cat", "sh", "-c", "cat; echo end")
					.withRedirects(Redirect.NULL, Redirect.PIPE, Redirect.PIPE),
						(process, stream, line) -> lines.add(line));
			assertThat(cat.waitForFinished(TEN_SECONDS)).isTrue();
			assertThat(cat.exitCode()).isZero();
			await().untilAsserted(() -> assertThat(lines).containsExactly("end"));
			assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> cat.write("x\n"))
				.withMessageContaining("not a pipe");
		});
	}

	@Test
	void stdoutToTheNullDeviceReachesNoListenerWhileStderrStillDoes() {
		ProcessTestSupport.runner().run((context) -> {
			List<String> lines = new CopyOnWriteArrayList<>();
			ManagedProcess child = context.getBean(ProcessManager.class)
				.start(ProcessSpec.of("quiet", "sh", "-c", "echo out; echo err >&2")
					.withRedirects(Redirect.PIPE, Redirect.NULL, Redirect.PIPE),
						(process, stream, line) -> lines.add(stream + ":" + line));
			assertThat(child.waitForFinished(TEN_SECONDS)).isTrue();
			await().untilAsserted(() -> assertThat(lines).containsExactly("stderr:err"));
		});
	}

	@Test
	void stdoutToAFileReplacesItsContent() throws Exception {
		Path old = Files.writeString(this.directory.resolve("old.txt"), "previous content that is longer\n");
		ProcessTestSupport.runner().run((context) -> {
			ProcessResult result = context.getBean(ProcessManager.class)
				.run(ProcessSpec.of("out", "echo", "one")
					.withRedirects(Redirect.PIPE, Redirect.file(old), Redirect.PIPE), TEN_SECONDS);
			assertThat(result.stdout()).isEmpty();
		});
		assertThat(Files.readString(old)).isEqualTo("one\n");
	}

	@Test
	@Tag(ProcessTestSupport.NATIVE_LAUNCHER)
	void outputFileTheSpawnCreatesIsOwnerOnly() throws Exception {
		Path fresh = this.directory.resolve("new.txt");
		ProcessTestSupport.runner().run((context) -> {
			context.getBean(ProcessManager.class)
				.run(ProcessSpec.of("out", "echo", "two")
					.withRedirects(Redirect.PIPE, Redirect.file(fresh), Redirect.PIPE), TEN_SECONDS);
		});
		assertThat(Files.readString(fresh)).isEqualTo("two\n");
		assertThat(Files.getPosixFilePermissions(fresh)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
				PosixFilePermission.OWNER_WRITE);
	}

	@Test
	void stdoutAndStderrAppendToFilesAcrossRuns() throws Exception {
		Path out = Files.writeString(this.directory.resolve("out.log"), "kept\n");
		Path err = this.directory.resolve("err.log");
		ProcessTestSupport.runner().run((context) -> {
			ProcessManager manager = context.getBean(ProcessManager.class);
			for (int run = 1; run <= 2; run++) {
				ProcessResult result = manager
					.run(ProcessSpec.of("log", "sh", "-c", "echo out$0; echo err$0 >&2", Integer.toString(run))
						.withRedirects(Redirect.NULL, Redirect.append(out), Redirect.append(err)), TEN_SECONDS);
				assertThat(result.succeeded()).isTrue();
			}
		});
		assertThat(Files.readString(out)).isEqualTo("kept\nout1\nout2\n");
		assertThat(Files.readString(err)).isEqualTo("err1\nerr2\n");
	}

	@Test
	void stderrToAFileLeavesStdoutOnThePipe() throws Exception {
		Path err = this.directory.resolve("err.txt");
		ProcessTestSupport.runner().run((context) -> {
			ProcessResult result = context.getBean(ProcessManager.class)
				.run(ProcessSpec.of("split", "sh", "-c", "echo out; echo err >&2")
					.withRedirects(Redirect.PIPE, Redirect.PIPE, Redirect.file(err)), TEN_SECONDS);
			assertThat(result.stdoutText()).isEqualTo("out\n");
			assertThat(result.stderr()).isEmpty();
		});
		assertThat(Files.readString(err)).isEqualTo("err\n");
	}

	@Test
	void mergedOutputRedirectedToAFileTakesBothStreamsInOrder() throws Exception {
		Path both = this.directory.resolve("both.txt");
		ProcessTestSupport.runner().run((context) -> {
			context.getBean(ProcessManager.class)
				.run(ProcessSpec.of("merged", "sh", "-c", "echo 1; echo 2 >&2; echo 3")
					.withOutput(OutputMode.MERGED)
					.withRedirects(Redirect.PIPE, Redirect.file(both), Redirect.PIPE), TEN_SECONDS);
		});
		assertThat(Files.readString(both)).isEqualTo("1\n2\n3\n");
	}

	@Test
	void configuredRedirectsApplyToASupervisedProcessWithoutAShell() throws Exception {
		Path input = Files.writeString(this.directory.resolve("in.txt"), "configured\n");
		Path out = this.directory.resolve("out.txt");
		ProcessTestSupport.runner()
			.withPropertyValues(command("copy", "cat"))
			.withPropertyValues("ipc.processes.copy.restart=never", "ipc.processes.copy.stdin=file:" + input,
					"ipc.processes.copy.stdout=append:" + out, "ipc.processes.copy.stderr=null")
			.run((context) -> {
				Events events = context.getBean(Events.class);
				await().untilAsserted(() -> assertThat(events.of(ProcessFinishedEvent.class)).hasSize(1));
				assertThat(events.of(ProcessFinishedEvent.class).get(0).getExitCode()).isZero();
			});
		assertThat(Files.readString(out, StandardCharsets.UTF_8)).isEqualTo("configured\n");
	}

	@Test
	void missingInputFileFailsTheStartNamingTheStreamAndTheFile() {
		Path missing = this.directory.resolve("missing.txt");
		ProcessTestSupport.runner().run((context) -> {
			assertThatExceptionOfType(ProcessStartException.class)
				.isThrownBy(() -> context.getBean(ProcessManager.class)
					.start(ProcessSpec.of("reader", "cat")
						.withRedirects(Redirect.file(missing), Redirect.PIPE, Redirect.PIPE)))
				.withMessageContaining("stdin file " + missing)
				.withMessageContaining("No such file or directory");
		});
	}

	@Test
	void outputFileInAMissingDirectoryFailsTheStartNamingTheFile() {
		Path nowhere = this.directory.resolve("no-such-dir/out.txt");
		ProcessTestSupport.runner().run((context) -> {
			assertThatExceptionOfType(ProcessStartException.class)
				.isThrownBy(() -> context.getBean(ProcessManager.class)
					.start(ProcessSpec.of("writer", "true")
						.withRedirects(Redirect.PIPE, Redirect.PIPE, Redirect.append(nowhere))))
				.withMessageContaining("stderr file " + nowhere);
		});
	}

	@Test
	void redirectThatIsNoneOfTheFormsFailsStartUpNamingTheProperty() {
		assertInvalid("ipc.processes.worker.stdout", "ipc.processes.worker.stdout=/tmp/out.txt");
		assertInvalid("ipc.processes.worker.stdin", "ipc.processes.worker.stdin=append:/tmp/in.txt");
		assertInvalid("ipc.processes.worker.stderr", "ipc.processes.worker.output=merged",
				"ipc.processes.worker.stderr=null");
	}

	@Test
	void listenerOnAProcessWithoutPipedOutputFailsStartUpNamingTheProperty() {
		ProcessTestSupport.runner()
			.withBean(Listener.class)
			.withPropertyValues(command("worker", "cat"))
			.withPropertyValues("ipc.processes.worker.autostart=false", "ipc.processes.worker.stdout=null",
					"ipc.processes.worker.stderr=null")
			.run((context) -> {
				Throwable cause = NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure());
				assertThat(cause).isInstanceOf(IpcConfigurationException.class)
					.hasMessageContaining("ipc.processes.worker.stdout");
			});
	}

	private void assertInvalid(String property, String... properties) {
		ProcessTestSupport.runner()
			.withPropertyValues(command("worker", "cat"))
			.withPropertyValues("ipc.processes.worker.autostart=false")
			.withPropertyValues(properties)
			.run((context) -> {
				Throwable cause = NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure());
				assertThat(cause).isInstanceOf(IpcConfigurationException.class);
				assertThat(((IpcConfigurationException) cause).getProperty()).isEqualTo(property);
			});
	}

	static class Listener {

		@IpcListener("worker")
		void line(String line) {
		}

	}

}
