package dev.ipcboot.process;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.ipcboot.testsupport.Tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What happens to a child when the application is killed with SIGKILL, so that no Java
 * code runs: a second JVM starts the child and the test kills that JVM.
 */
@Tag(ProcessTestSupport.NATIVE_LAUNCHER)
class ParentDeathTests {

	@Test
	void childIsKilledWhenTheApplicationIsSigkilled() throws Exception {
		Tools.require("sh", "dash");
		try (Application application = Application.start(true)) {
			long child = application.child;
			assertThat(ProcessTestSupport.isLive(child)).isTrue();
			assertThat(ProcessTestSupport.isLive(application.guardian)).isTrue();
			application.kill();
			await().atMost(Duration.ofSeconds(10)).until(() -> !ProcessTestSupport.isLive(child));
			await().atMost(Duration.ofSeconds(10)).until(() -> !ProcessTestSupport.isLive(application.guardian));
		}
	}

	@Test
	void descendantsInTheChildsProcessGroupAreKilledWhenTheApplicationIsSigkilled() throws Exception {
		Tools.require("sh", "dash");
		try (Application application = Application.start(true, "sh", "-c",
				"sleep 300 & sh -c 'sleep 301; true' & wait")) {
			await().until(() -> ProcessHandle.of(application.child).orElseThrow().descendants().count() == 3);
			List<Long> all = new ArrayList<>(List.of(application.child));
			ProcessHandle.of(application.child).orElseThrow().descendants().forEach((h) -> all.add(h.pid()));
			application.kill();
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(all).noneMatch(ProcessTestSupport::isLive));
		}
	}

	@Test
	void guardianKilledWhileTheApplicationRunsIsReplacedAndTheChildStillDiesWithTheApplication() throws Exception {
		Tools.require("sh", "dash");
		try (Application application = Application.start(true)) {
			long first = application.guardian;
			ProcessHandle.of(first).orElseThrow().destroyForcibly();
			long second = application.nextGuardian();
			assertThat(second).isNotEqualTo(first);
			assertThat(ProcessTestSupport.isLive(second)).isTrue();
			assertThat(ProcessTestSupport.isLive(application.child)).isTrue();
			application.kill();
			await().atMost(Duration.ofSeconds(10)).until(() -> !ProcessTestSupport.isLive(application.child));
		}
	}

	@Test
	void withoutDieWithParentTheChildOutlivesASigkilledApplication() throws Exception {
		long child;
		try (Application application = Application.start(false)) {
			child = application.child;
			assertThat(application.guardian).as("no guardian without die-with-parent").isEqualTo(-1);
			application.kill();
		}
		try {
			await().during(Duration.ofMillis(500))
				.atMost(Duration.ofSeconds(2))
				.until(() -> ProcessTestSupport.isLive(child));
		}
		finally {
			ProcessHandle.of(child).ifPresent(ProcessHandle::destroyForcibly);
		}
	}

	/** A {@link ParentDeathMain} in a JVM of its own. */
	private static final class Application implements AutoCloseable {

		private final Process process;

		private final BufferedReader output;

		private final long child;

		private final long guardian;

		private Application(Process process) throws Exception {
			this.process = process;
			this.output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
			this.child = readPid("child pid");
			this.guardian = readPid("guardian pid");
		}

		static Application start(boolean dieWithParent, String... command) throws Exception {
			List<String> arguments = new ArrayList<>(
					List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
							System.getProperty("java.class.path")));
			// the fallback runs of the build force the guardian and the spawn functions
			for (String property : List.of(ProcessGuardian.KIND_PROPERTY, SpawnPolicy.FORCE_MISSING)) {
				if (System.getProperty(property) != null) {
					arguments.add("-D" + property + "=" + System.getProperty(property));
				}
			}
			arguments.addAll(List.of(ParentDeathMain.class.getName(), Boolean.toString(dieWithParent)));
			arguments.addAll(List.of(command));
			Process process = new ProcessBuilder(arguments).redirectError(ProcessBuilder.Redirect.INHERIT).start();
			try {
				return new Application(process);
			}
			catch (Exception | AssertionError ex) {
				process.destroyForcibly();
				throw ex;
			}
		}

		private long readPid(String what) throws Exception {
			String line = this.output.readLine();
			while (line != null && !line.startsWith("pid:")) {
				line = this.output.readLine();
			}
			assertThat(line).as(what + " printed by the application").isNotNull().matches("pid:-?[0-9]+");
			return Long.parseLong(line.substring(4));
		}

		long nextGuardian() throws Exception {
			OutputStream input = this.process.getOutputStream();
			input.write('\n');
			input.flush();
			return readPid("replacement guardian pid");
		}

		void kill() throws InterruptedException {
			this.process.destroyForcibly();
			this.process.waitFor();
		}

		@Override
		public void close() throws Exception {
			this.process.destroyForcibly();
			this.process.waitFor();
			this.output.close();
		}

	}

}
