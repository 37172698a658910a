package dev.ipcboot.process;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.ipcboot.process.ProcessTestSupport.Events;
import dev.ipcboot.testsupport.OurThreads;

import static dev.ipcboot.process.ProcessTestSupport.command;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Closing the context stops every child and its descendants and every thread of ours.
 */
class ProcessShutdownTests {

	@Test
	void childIgnoringSigtermIsKilledAfterStopTimeout() {
		ProcessTestSupport.runner()
			.withPropertyValues(command("stubborn", "sh", "-c", "trap '' TERM; exec sleep 300"))
			.withPropertyValues("ipc.processes.stubborn.stop-timeout=500ms")
			.run((context) -> {
				ManagedProcess stubborn = context.getBean(ProcessManager.class).find("stubborn").orElseThrow();
				Events events = context.getBean(Events.class);
				await().until(() -> sigtermIgnored(stubborn.pid()));
				long started = System.nanoTime();
				context.close();
				Duration took = Duration.ofNanos(System.nanoTime() - started);
				assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(500)).isLessThan(Duration.ofSeconds(8));
				assertThat(ProcessTestSupport.isLive(stubborn.pid())).isFalse();
				assertThat(stubborn.exitSignal()).isEqualTo(9);
				assertThat(events.of(ProcessFinishedEvent.class)).singleElement()
					.extracting(ProcessFinishedEvent::getExitSignal)
					.isEqualTo(9);
			});
	}

	@Test
	void grandchildrenAreStoppedWhenTheContextCloses() {
		ProcessTestSupport.runner()
			.withPropertyValues(
					command("parent", "sh", "-c", "sleep 300 & setsid sleep 301 & sh -c 'sleep 302' & wait"))
			.withPropertyValues(command("second", "sleep", "303"))
			.run((context) -> {
				ProcessManager manager = context.getBean(ProcessManager.class);
				Events events = context.getBean(Events.class);
				long parent = manager.find("parent").orElseThrow().pid();
				long second = manager.find("second").orElseThrow().pid();
				await().until(() -> descendantCount(parent) == 4);
				List<Long> descendants = ProcessHandle.of(parent)
					.orElseThrow()
					.descendants()
					.map(ProcessHandle::pid)
					.toList();
				context.close();
				assertThat(ProcessTestSupport.isLive(parent)).isFalse();
				assertThat(ProcessTestSupport.isLive(second)).isFalse();
				assertThat(descendants).noneMatch(ProcessTestSupport::isLive);
				// reverse start order: the second process finished first
				assertThat(events.of(ProcessFinishedEvent.class)).extracting(ProcessFinishedEvent::resourceName)
					.containsExactly("second", "parent");
			});
	}

	@Test
	@Tag(ProcessTestSupport.NATIVE_LAUNCHER)
	void orphanLeftInTheProcessGroupAfterItsParentExitedIsStoppedWhenTheContextCloses() {
		ProcessTestSupport.runner().run((context) -> {
			List<String> lines = new CopyOnWriteArrayList<>();
			ManagedProcess parent = context.getBean(ProcessManager.class)
				.start(ProcessSpec.of("leaver", "sh", "-c", "sleep 304 >/dev/null & echo $!"),
						(process, stream, line) -> lines.add(line));
			assertThat(parent.waitForFinished(Duration.ofSeconds(5))).isTrue();
			await().untilAsserted(() -> assertThat(lines).hasSize(1));
			long orphan = Long.parseLong(lines.get(0));
			assertThat(ProcessTestSupport.isLive(orphan)).isTrue();
			context.close();
			assertThat(ProcessTestSupport.isLive(orphan)).isFalse();
		});
	}

	@Test
	void afterCloseNoChildAndNoThreadOfOursIsLeft() {
		// children of this JVM that an earlier test class left are not this context's
		Set<Long> earlier = ProcessHandle.current().children().map(ProcessHandle::pid).collect(Collectors.toSet());
		ProcessTestSupport.runner()
			.withPropertyValues(command("worker", "cat"))
			.withPropertyValues(command("talker", "sh", "-c", "while :; do echo tick; sleep 0.05; done"))
			.run((context) -> {
				ProcessManager manager = context.getBean(ProcessManager.class);
				ManagedProcess adHoc = manager.start(ProcessSpec.of("adhoc", "sleep", "300"));
				List<Long> pids = List.of(manager.find("worker").orElseThrow().pid(),
						manager.find("talker").orElseThrow().pid(), adHoc.pid());
				assertThat(OurThreads.alive("ipc-process-")).isNotEmpty();
				context.close();
				assertThat(pids).noneMatch(ProcessTestSupport::isLive);
				await().untilAsserted(() -> assertThat(OurThreads.alive("ipc-process")).isEmpty());
				assertThat(ProcessHandle.current()
					.children()
					.filter(ProcessHandle::isAlive)
					.filter((child) -> !earlier.contains(child.pid()))).isEmpty();
			});
	}

	@Test
	void dieWithParentChildIsSpawnedDirectlySoThePidIsTheProgramsOwn() {
		ProcessTestSupport.runner().withPropertyValues(command("worker", "cat")).run((context) -> {
			ManagedProcess cat = context.getBean(ProcessManager.class).find("worker").orElseThrow();
			// die-with-parent (the default) puts no wrapper between the application and
			// the program
			await().until(() -> ProcessHandle.of(cat.pid()).flatMap((handle) -> handle.info().command()).orElse(""),
					(command) -> command.endsWith("/cat"));
			assertThat(ProcessHandle.of(cat.pid()).orElseThrow().parent()).hasValue(ProcessHandle.current());
		});
	}

	private static boolean sigtermIgnored(long pid) throws Exception {
		// SigIgn in /proc/<pid>/status is a hexadecimal mask; SIGTERM is bit 15 (value
		// 0x4000)
		for (String line : java.nio.file.Files
			.readAllLines(java.nio.file.Path.of("/proc", Long.toString(pid), "status"))) {
			if (line.startsWith("SigIgn:")) {
				return (Long.parseLong(line.substring(7).trim(), 16) & (1L << 14)) != 0 && line.length() > 0
						&& isSleep(pid);
			}
		}
		return false;
	}

	private static boolean isSleep(long pid) {
		return ProcessHandle.of(pid).flatMap((handle) -> handle.info().command()).orElse("").endsWith("sleep");
	}

	private static long descendantCount(long pid) {
		return ProcessHandle.of(pid).map((handle) -> handle.descendants().count()).orElse(0L);
	}

}
