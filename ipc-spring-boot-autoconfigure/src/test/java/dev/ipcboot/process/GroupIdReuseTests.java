package dev.ipcboot.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.ipcboot.testsupport.Tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Hostile peer: a stranger ({@code nobody}) that reuses the process group id of a
 * die-with-parent child whose group has emptied without the application noticing, then
 * the application is killed with SIGKILL. The guardian must leave the stranger alone and
 * still kill what is ours. The application runs in a JVM of its own under a small
 * subreaper, so that the orphans it leaves are reaped and their ids can be reused at once
 * (PID 1 here does not reap); the id is forced with {@code /proc/sys/kernel/ns_last_pid}.
 */
@Tag(ProcessTestSupport.NATIVE_LAUNCHER)
@Tag("hostile")
class GroupIdReuseTests {

	// runs argv[1:] as a child, printing its pid first, then reaps every orphan
	private static final String SUBREAPER = """
			import ctypes, os, sys
			ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)
			pid = os.fork()
			if pid == 0:
			    print("app:%d" % os.getpid(), flush=True)
			    os.execv(sys.argv[1], sys.argv[1:])
			while True:
			    try:
			        os.wait()
			    except ChildProcessError:
			        break
			""";

	@Test
	void strangerThatReusedTheGroupIdOfAnEmptiedGroupSurvivesTheApplicationsSigkill() throws Exception {
		Tools.requireRoot("forces a pid with /proc/sys/kernel/ns_last_pid and runs a stranger as nobody");
		Tools.require("sh", "dash");
		try (Application application = Application.start("sh", "-c", "sleep 300 & exit 0")) {
			long group = application.child;
			long member = await().atMost(Duration.ofSeconds(10))
				.until(() -> memberOf(group), Optional::isPresent)
				.get();
			await().atMost(Duration.ofSeconds(10)).until(() -> !ProcessTestSupport.isLive(group));
			// the group empties behind the application's back
			ProcessHandle.of(member).ifPresent(ProcessHandle::destroyForcibly);
			await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(member).isEmpty());
			long stranger = Strangers.startWithPid(group);
			try {
				assertThat(stranger).as("the stranger got the group id " + group + " (ns_last_pid)").isEqualTo(group);
				assertThat(ProcStat.read(stranger).processGroup()).isEqualTo(group);
				application.kill();
				await().atMost(Duration.ofSeconds(10)).until(() -> !ProcessTestSupport.isLive(application.guardian));
				assertThat(ProcessTestSupport.isLive(stranger)).as("the stranger with the reused group id " + group)
					.isTrue();
			}
			finally {
				ProcessHandle.of(stranger).ifPresent(ProcessHandle::destroyForcibly);
			}
		}
	}

	@Test
	void descendantLeftInTheGroupOfAnEndedChildStillDiesWithTheApplication() throws Exception {
		Tools.require("sh", "dash");
		try (Application application = Application.start("sh", "-c", "sleep 300 & exit 0")) {
			long group = application.child;
			long member = await().atMost(Duration.ofSeconds(10))
				.until(() -> memberOf(group), Optional::isPresent)
				.get();
			await().atMost(Duration.ofSeconds(10)).until(() -> !ProcessTestSupport.isLive(group));
			application.kill();
			await().atMost(Duration.ofSeconds(10)).until(() -> !ProcessTestSupport.isLive(member));
		}
	}

	@Test
	void strangersLeaderlessGroupThatReusedAnEndedChildsGroupIdSurvivesTheChildsStop() throws Exception {
		Tools.requireRoot("forces a pid with /proc/sys/kernel/ns_last_pid and runs a stranger as nobody");
		Tools.require("sh", "dash");
		try (Application application = Application.start(GroupStopMain.class, "sh", "-c", "sleep 300 & exit 0")) {
			long group = application.child;
			long member = await().atMost(Duration.ofSeconds(10))
				.until(() -> memberOf(group), Optional::isPresent)
				.get();
			await().atMost(Duration.ofSeconds(10)).until(() -> !ProcessTestSupport.isLive(group));
			// the group empties behind the manager's back; it keeps the child for its
			// stop
			ProcessHandle.of(member).ifPresent(ProcessHandle::destroyForcibly);
			await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(member).isEmpty());
			long[] stranger = Strangers.startLeaderlessGroupWithId(group);
			try {
				assertThat(stranger[0]).as("the stranger got the group id " + group + " (ns_last_pid)")
					.isEqualTo(group);
				assertThat(ProcStat.read(stranger[1]).processGroup()).isEqualTo(group);
				application.stopManager();
				assertThat(ProcessTestSupport.isLive(stranger[1]))
					.as("the stranger's member of the reused group " + group + " after the manager stopped")
					.isTrue();
			}
			finally {
				ProcessHandle.of(stranger[1]).ifPresent(ProcessHandle::destroyForcibly);
			}
		}
	}

	private static Optional<Long> memberOf(long group) {
		return ProcessHandle.allProcesses().map(ProcessHandle::pid).filter((pid) -> pid != group).filter((pid) -> {
			ProcStat stat = ProcStat.read(pid);
			return stat != null && !stat.isZombie() && stat.processGroup() == group;
		}).findFirst();
	}

	/** A {@link ParentDeathMain} with die-with-parent under a subreaper. */
	private static final class Application implements AutoCloseable {

		private final Process reaper;

		private final BufferedReader output;

		private final long pid;

		private final long child;

		private final long guardian;

		private Application(Process reaper) throws IOException {
			this.reaper = reaper;
			this.output = new BufferedReader(new InputStreamReader(reaper.getInputStream(), StandardCharsets.UTF_8));
			this.pid = read("app:");
			this.child = read("pid:");
			this.guardian = read("pid:");
		}

		static Application start(String... command) throws IOException {
			return start(ParentDeathMain.class, "true", command);
		}

		static Application start(Class<?> main, String first, String... command) throws IOException {
			List<String> arguments = new ArrayList<>(List.of(Tools.PYTHON, "-c", SUBREAPER,
					Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
					System.getProperty("java.class.path")));
			for (String property : List.of(ProcessGuardian.KIND_PROPERTY, SpawnPolicy.FORCE_MISSING)) {
				if (System.getProperty(property) != null) {
					arguments.add("-D" + property + "=" + System.getProperty(property));
				}
			}
			arguments.addAll(List.of(main.getName(), first));
			arguments.addAll(List.of(command));
			Process reaper = new ProcessBuilder(arguments).redirectError(ProcessBuilder.Redirect.INHERIT).start();
			try {
				return new Application(reaper);
			}
			catch (IOException | RuntimeException | AssertionError ex) {
				reaper.destroyForcibly();
				throw ex;
			}
		}

		private long read(String prefix) throws IOException {
			String line = this.output.readLine();
			while (line != null && !line.startsWith(prefix)) {
				line = this.output.readLine();
			}
			assertThat(line).as(prefix + " printed by the application").isNotNull();
			String number = line.substring(prefix.length()).strip();
			return number.isEmpty() ? 0 : Long.parseLong(number);
		}

		void stopManager() throws IOException {
			this.reaper.getOutputStream().write('\n');
			this.reaper.getOutputStream().flush();
			read("stopped");
		}

		void kill() {
			ProcessHandle.of(this.pid).ifPresent(ProcessHandle::destroyForcibly);
			await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(this.pid).isEmpty());
		}

		@Override
		public void close() throws Exception {
			ProcessHandle.of(this.pid).ifPresent(ProcessHandle::destroyForcibly);
			this.reaper.destroyForcibly();
			this.reaper.waitFor();
			this.output.close();
		}

	}

}
