package dev.ipcboot.process;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.assertj.AssertableApplicationContext;

import dev.ipcboot.internal.IpcResource;
import dev.ipcboot.internal.IpcResourceSource;
import dev.ipcboot.internal.IpcResourceState;
import dev.ipcboot.IpcResourceStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Processes as resources of health and the {@code ipc} endpoint: a configured process is
 * UP while it runs, OUT_OF_SERVICE while it waits to be restarted, DOWN once supervision
 * gave up or when a failed run is not restarted; a process started at run time shows up
 * while it runs.
 */
class ProcessHealthTests {

	private static final Duration FIVE_SECONDS = Duration.ofSeconds(5);

	@Test
	void aSupervisedProcessIsOutOfServiceWhileRestartingAndDownOnceItGaveUp() {
		ProcessTestSupport.runner()
			.withPropertyValues(ProcessTestSupport.command("worker", "sleep", "60"))
			.withPropertyValues("ipc.processes.worker.restart=on-failure", "ipc.processes.worker.restart-delay=1s",
					"ipc.processes.worker.restart-max-delay=1s", "ipc.processes.worker.max-restarts=1")
			.run((context) -> {
				ManagedProcess first = running(context, "worker", -1);
				IpcResourceState up = resource(context, "worker").state();
				assertThat(up.status()).isEqualTo(IpcResourceStatus.UP);
				assertThat(up.details()).containsEntry("pid", first.pid()).containsEntry("restarts", 0);

				first.kill();
				await().until(() -> resource(context, "worker").state().status() == IpcResourceStatus.OUT_OF_SERVICE);
				assertThat(resource(context, "worker").state().reason()).isEqualTo("killed by signal 9; restarting");
				ManagedProcess second = running(context, "worker", first.pid());
				assertThat(resource(context, "worker").state().details()).containsEntry("restarts", 1);

				second.kill();
				await().until(() -> resource(context, "worker").state().status() == IpcResourceStatus.DOWN);
				assertThat(resource(context, "worker").state().reason())
					.isEqualTo("killed by signal 9; gave up after 1 restarts");
			});
	}

	@Test
	void aFailedRunThatIsNotRestartedIsDownAndACleanExitIsNot() {
		ProcessTestSupport.runner()
			.withPropertyValues(ProcessTestSupport.command("failing", "sh", "-c", "exit 3"))
			.withPropertyValues(ProcessTestSupport.command("clean", "true"))
			.withPropertyValues("ipc.processes.failing.restart=never", "ipc.processes.clean.restart=on-failure")
			.run((context) -> {
				await().until(() -> resource(context, "failing").state().status() == IpcResourceStatus.DOWN);
				assertThat(resource(context, "failing").state().reason())
					.isEqualTo("exited with code 3; not restarted (restart: never)");
				await().until(() -> resource(context, "clean").state().reason(), "exited with code 0"::equals);
				assertThat(resource(context, "clean").state().status()).isEqualTo(IpcResourceStatus.UNKNOWN);
			});
	}

	@Test
	void aProcessStartedAtRunTimeIsAResourceWhileItRuns() {
		ProcessTestSupport.runner().run((context) -> {
			ManagedProcess adHoc = context.getBean(ProcessManager.class).start(ProcessSpec.of("ad-hoc", "sleep", "60"));
			assertThat(adHoc.waitForStarted(FIVE_SECONDS)).isTrue();
			IpcResourceState state = resource(context, "ad-hoc").state();
			assertThat(state.status()).isEqualTo(IpcResourceStatus.UP);
			assertThat(state.details()).containsEntry("pid", adHoc.pid());
			adHoc.kill();
			assertThat(adHoc.waitForFinished(FIVE_SECONDS)).isTrue();
			await().until(() -> !resources(context).containsKey("ad-hoc"));
		});
	}

	private static ManagedProcess running(AssertableApplicationContext context, String name, long notPid) {
		ProcessManager manager = context.getBean(ProcessManager.class);
		await().until(() -> manager.find(name)
			.filter((process) -> process.pid() != notPid && process.state() == ProcessState.RUNNING)
			.isPresent());
		return manager.find(name).orElseThrow();
	}

	private static IpcResource resource(AssertableApplicationContext context, String name) {
		IpcResource resource = resources(context).get(name);
		assertThat(resource).as("resource " + name).isNotNull();
		return resource;
	}

	private static Map<String, IpcResource> resources(AssertableApplicationContext context) {
		List<IpcResource> all = context.getBeansOfType(IpcResourceSource.class)
			.values()
			.stream()
			.flatMap((source) -> source.resources().stream())
			.map(IpcResource.class::cast)
			.toList();
		return all.stream().collect(Collectors.toMap(IpcResource::name, (resource) -> resource));
	}

}
