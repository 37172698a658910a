package dev.ipcboot.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.ipcboot.testsupport.OurThreads;

import static dev.ipcboot.process.ProcessTestSupport.command;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The guardian that kills die-with-parent children when the application dies: one per
 * manager, started at the first such child, in a process group of its own, holding no
 * descriptor a child could keep open, replaced when it dies, gone after the context
 * closes. {@link ParentDeathTests} kills the application itself.
 */
@Tag(ProcessTestSupport.NATIVE_LAUNCHER)
class ProcessGuardianTests {

	@Test
	void oneGuardianInItsOwnProcessGroupServesEveryChildAndIsGoneAfterClose() {
		ProcessTestSupport.runner()
			.withPropertyValues(command("first", "sleep", "300"))
			.withPropertyValues(command("second", "sleep", "301"))
			.run((context) -> {
				DefaultProcessManager manager = context.getBean(DefaultProcessManager.class);
				int guardian = ProcessTestSupport.guardianPid();
				assertThat(guardian).isPositive();
				manager.start(ProcessSpec.of("adhoc", "sleep", "302"));
				assertThat(ProcessTestSupport.guardianPid()).isEqualTo(guardian);
				ProcessHandle handle = ProcessHandle.of(guardian).orElseThrow();
				assertThat(handle.parent()).hasValue(ProcessHandle.current());
				assertThat(processGroup(guardian)).isEqualTo(guardian)
					.isNotEqualTo(processGroup(ProcessHandle.current().pid()));
				assertThat(commandLine(guardian)).startsWith(ProcessGuardian.NAME);
				context.close();
				assertThat(ProcessTestSupport.isLive(guardian)).isFalse();
				assertThat(ProcessHandle.current().children()).noneMatch((child) -> child.pid() == guardian);
				await().untilAsserted(() -> assertThat(OurThreads.alive("ipc-process")).isEmpty());
			});
	}

	@Test
	void withoutDieWithParentNoGuardianIsStarted() {
		ProcessTestSupport.runner()
			.withPropertyValues(command("free", "sleep", "300"))
			.withPropertyValues("ipc.processes.free.die-with-parent=false")
			.run((context) -> {
				DefaultProcessManager manager = context.getBean(DefaultProcessManager.class);
				assertThat(manager.find("free").orElseThrow().pid()).isPositive();
				assertThat(ProcessTestSupport.guardianPid()).isEqualTo(-1);
			});
	}

	@Test
	void childInheritsNoDescriptorOfTheGuardianPipeAndTheGuardianOnlyItsReadEnd() {
		ProcessTestSupport.runner().withPropertyValues(command("worker", "cat")).run((context) -> {
			DefaultProcessManager manager = context.getBean(DefaultProcessManager.class);
			long child = manager.find("worker").orElseThrow().pid();
			int guardian = ProcessTestSupport.guardianPid();
			// A guardian that is a small JVM (no /bin/sh) opens and closes descriptors
			// while it
			// starts, so its table is read again until it has settled.
			await().untilAsserted(() -> {
				Map<String, String> childFds = descriptors(child);
				Map<String, String> guardianFds = descriptors(guardian);
				String guardianPipe = guardianFds.get("0");
				assertThat(guardianPipe).startsWith("pipe:");
				assertThat(childFds).containsOnlyKeys("0", "1", "2").doesNotContainValue(guardianPipe);
				assertThat(guardianFds).containsEntry("1", "/dev/null").containsEntry("2", "/dev/null");
				assertThat(guardianFds.values().stream().filter(guardianPipe::equals))
					.as("the guardian must not hold the write end, or it never reads end-of-file when the application dies")
					.hasSize(1);
			});
		});
	}

	@Test
	void guardianKilledExternallyIsReplaced() throws IOException {
		Set<Path> classCopiesBefore = guardianClassCopies();
		ProcessTestSupport.runner().withPropertyValues(command("worker", "sleep", "300")).run((context) -> {
			DefaultProcessManager manager = context.getBean(DefaultProcessManager.class);
			int first = ProcessTestSupport.guardianPid();
			ProcessHandle.of(first).orElseThrow().destroyForcibly();
			int second = await().until(ProcessTestSupport::guardianPid, (pid) -> pid > 0 && pid != first);
			assertThat(ProcessTestSupport.isLive(second)).isTrue();
			await().until(() -> ProcessHandle.current().children().noneMatch((child) -> child.pid() == first));
			ManagedProcess next = manager.start(ProcessSpec.of("adhoc", "sleep", "301"));
			assertThat(next.pid()).isPositive();
			assertThat(ProcessTestSupport.guardianPid()).isEqualTo(second);
		});
		// a JVM guardian (no /bin/sh) killed before it loaded its class leaves the copy
		// to
		// its watcher
		await().untilAsserted(() -> assertThat(guardianClassCopies()).isSubsetOf(classCopiesBefore));
	}

	private static Set<Path> guardianClassCopies() throws IOException {
		Path temp = Path.of(System.getProperty("java.io.tmpdir"));
		try (Stream<Path> entries = Files.list(temp)) {
			return entries.filter((entry) -> entry.getFileName().toString().startsWith(ProcessGuardian.NAME))
				.collect(Collectors.toSet());
		}
	}

	@Test
	void guardianForgetsAGroupOnceNothingIsLeftInIt() {
		ProcessTestSupport.runner().run((context) -> {
			// with no process configured the manager is a lazy bean declared as the
			// interface
			DefaultProcessManager manager = (DefaultProcessManager) context.getBean(ProcessManager.class);
			ManagedProcess done = manager.start(ProcessSpec.of("done", "true"));
			int doneGroup = (int) done.pid();
			assertThat(done.waitForFinished(Duration.ofSeconds(10))).isTrue();
			await().until(() -> !ProcessTestSupport.guardedGroups(manager).contains(doneGroup));
			// the child exits at once, leaving its background sleep in its group
			ManagedProcess parent = manager.start(ProcessSpec.of("parent", "sh", "-c", "sleep 300 & echo $!"));
			int parentGroup = (int) parent.pid();
			assertThat(parent.waitForFinished(Duration.ofSeconds(10))).isTrue();
			assertThat(ProcessTestSupport.guardedGroups(manager)).as("a group with a member left")
				.contains(parentGroup);
			long orphan = await().until(() -> groupMembers(parentGroup), (members) -> !members.isEmpty()).get(0);
			ProcessHandle.of(orphan).orElseThrow().destroyForcibly();
			// reaped by its adopter, so that the group has no member, not even a zombie
			await().until(() -> !Files.exists(Path.of("/proc", Long.toString(orphan))));
			ManagedProcess next = manager.start(ProcessSpec.of("next", "sleep", "300"));
			assertThat(ProcessTestSupport.guardedGroups(manager)).containsExactly((int) next.pid());
		});
	}

	private static List<Long> groupMembers(long group) throws IOException {
		try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
			return entries.filter((entry) -> entry.getFileName().toString().matches("[0-9]+"))
				.map((entry) -> Long.parseLong(entry.getFileName().toString()))
				.filter((pid) -> ProcessTestSupport.isLive(pid) && processGroupOrZero(pid) == group)
				.toList();
		}
	}

	private static long processGroupOrZero(long pid) {
		try {
			return processGroup(pid);
		}
		catch (IOException ex) {
			return 0; // it ended while we looked
		}
	}

	private static long processGroup(long pid) throws IOException {
		String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
		return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[2]);
	}

	private static String commandLine(long pid) throws IOException {
		return Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).replace('\0', ' ');
	}

	private static Map<String, String> descriptors(long pid) throws IOException {
		Path fds = Path.of("/proc", Long.toString(pid), "fd");
		try (Stream<Path> entries = Files.list(fds)) {
			Map<String, String> targets = new TreeMap<>();
			entries.forEach((fd) -> {
				try {
					targets.put(fd.getFileName().toString(), Files.readSymbolicLink(fd).toString());
				}
				catch (NoSuchFileException ex) {
					// closed between the listing and the read: not held any more
				}
				catch (IOException ex) {
					throw new IllegalStateException("Cannot read " + fd, ex);
				}
			});
			return targets;
		}
	}

	@Test
	void withoutAShellTheGuardianIsASmallJvmThatDeletesItsClassCopyAndExitsOnClose() throws Exception {
		String before = System.getProperty(ProcessGuardian.KIND_PROPERTY);
		System.setProperty(ProcessGuardian.KIND_PROPERTY, "java");
		try {
			ProcessTestSupport.runner().run((context) -> {
				context.getBean(ProcessManager.class).start(ProcessSpec.of("sleeper", "sleep", "30"));
				int guardian = ProcessTestSupport.guardianPid();
				assertThat(guardian).isPositive();
				assertThat(Files.readSymbolicLink(Path.of("/proc", Integer.toString(guardian), "exe")).getFileName())
					.hasToString("java");
				List<String> arguments = List.of(commandLine(guardian).trim().split(" "));
				Path classCopy = Path.of(arguments.get(arguments.size() - 1));
				await().untilAsserted(() -> assertThat(classCopy).doesNotExist());
				context.close();
				assertThat(ProcessTestSupport.isLive(guardian)).isFalse();
			});
		}
		finally {
			if (before == null) {
				System.clearProperty(ProcessGuardian.KIND_PROPERTY);
			}
			else {
				System.setProperty(ProcessGuardian.KIND_PROPERTY, before);
			}
		}
	}

}
