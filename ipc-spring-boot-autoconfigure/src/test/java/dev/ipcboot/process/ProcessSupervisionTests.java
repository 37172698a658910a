package dev.ipcboot.process;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.ipcboot.process.ProcessTestSupport.Events;

import static dev.ipcboot.process.ProcessTestSupport.command;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Restart policies with real children that exit or crash.
 */
class ProcessSupervisionTests {

	private static final String[] FAST_RESTARTS = { "ipc.processes.worker.restart-delay=100ms",
			"ipc.processes.worker.restart-max-delay=400ms" };

	@Test
	@Tag(ProcessTestSupport.NATIVE_LAUNCHER)
	void crashingChildIsRestartedWithGrowingDelaysUntilMaxRestartsGivesUp() {
		ProcessTestSupport.runner()
			.withPropertyValues(command("worker", "sh", "-c", "kill -SEGV $$"))
			.withPropertyValues(FAST_RESTARTS)
			.withPropertyValues("ipc.processes.worker.restart=on-failure", "ipc.processes.worker.max-restarts=3")
			.run((context) -> {
				Events events = context.getBean(Events.class);
				await().untilAsserted(() -> assertThat(events.of(ProcessGaveUpEvent.class)).hasSize(1));
				List<ProcessRestartingEvent> restarting = events.of(ProcessRestartingEvent.class);
				assertThat(restarting).extracting(ProcessRestartingEvent::getAttempt).containsExactly(1, 2, 3);
				assertThat(restarting).extracting(ProcessRestartingEvent::getDelay)
					.containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400));
				List<ProcessFinishedEvent> finished = events.of(ProcessFinishedEvent.class);
				List<ProcessStartedEvent> started = events.of(ProcessStartedEvent.class);
				assertThat(finished).hasSize(4).allSatisfy((event) -> assertThat(event.getExitSignal()).isEqualTo(11));
				assertThat(started).hasSize(4);
				for (int i = 0; i < 3; i++) {
					long gap = started.get(i + 1).getTimestamp() - finished.get(i).getTimestamp();
					// millisecond timestamps: allow one for rounding
					assertThat(gap).as("gap before run %d", i + 2)
						.isGreaterThanOrEqualTo(restarting.get(i).getDelay().toMillis() - 1);
				}
				assertThat(events.of(ProcessGaveUpEvent.class).get(0).getRestarts()).isEqualTo(3);
				assertThat(started).extracting(ProcessStartedEvent::getPid).doesNotHaveDuplicates();
			});
	}

	@Test
	void onFailureDoesNotRestartAfterExitZero() {
		ProcessTestSupport.runner()
			.withPropertyValues(command("worker", "true"))
			.withPropertyValues(FAST_RESTARTS)
			.withPropertyValues("ipc.processes.worker.restart=on-failure")
			.run((context) -> {
				Events events = context.getBean(Events.class);
				await().untilAsserted(() -> assertThat(events.of(ProcessFinishedEvent.class)).hasSize(1));
				await().during(Duration.ofMillis(600))
					.atMost(Duration.ofSeconds(2))
					.until(() -> events.of(ProcessRestartingEvent.class).isEmpty()
							&& events.of(ProcessStartedEvent.class).size() == 1);
			});
	}

	@Test
	void onFailureRestartsAfterANonZeroExit() {
		ProcessTestSupport.runner()
			.withPropertyValues(command("worker", "sh", "-c", "exit 2"))
			.withPropertyValues(FAST_RESTARTS)
			.withPropertyValues("ipc.processes.worker.restart=on-failure", "ipc.processes.worker.max-restarts=1")
			.run((context) -> {
				Events events = context.getBean(Events.class);
				await().untilAsserted(() -> assertThat(events.of(ProcessGaveUpEvent.class)).hasSize(1));
				assertThat(events.of(ProcessStartedEvent.class)).hasSize(2);
			});
	}

	@Test
	void alwaysRestartsAfterExitZero() {
		ProcessTestSupport.runner()
			.withPropertyValues(command("worker", "true"))
			.withPropertyValues(FAST_RESTARTS)
			.withPropertyValues("ipc.processes.worker.restart=always", "ipc.processes.worker.max-restarts=2")
			.run((context) -> {
				Events events = context.getBean(Events.class);
				await().untilAsserted(() -> assertThat(events.of(ProcessGaveUpEvent.class)).hasSize(1));
				assertThat(events.of(ProcessStartedEvent.class)).hasSize(3);
			});
	}

	@Test
	void neverNeverRestarts() {
		ProcessTestSupport.runner()
			.withPropertyValues(command("worker", "sh", "-c", "exit 1"))
			.withPropertyValues(FAST_RESTARTS)
			.withPropertyValues("ipc.processes.worker.restart=never")
			.run((context) -> {
				Events events = context.getBean(Events.class);
				await().untilAsserted(() -> assertThat(events.of(ProcessFinishedEvent.class)).hasSize(1));
				await().during(Duration.ofMillis(600))
					.atMost(Duration.ofSeconds(2))
					.until(() -> events.of(ProcessRestartingEvent.class).isEmpty()
							&& events.of(ProcessStartedEvent.class).size() == 1);
				assertThat(context.getBean(ProcessManager.class).find("worker")).get()
					.extracting(ManagedProcess::exitCode)
					.isEqualTo(1);
			});
	}

	@Test
	void autostartFalseWaitsForAnExplicitStart() {
		ProcessTestSupport.runner()
			.withPropertyValues(command("worker", "cat"))
			.withPropertyValues("ipc.processes.worker.autostart=false")
			.run((context) -> {
				ProcessManager manager = context.getBean(ProcessManager.class);
				assertThat(manager.find("worker")).isEmpty();
				ManagedProcess cat = manager.start("worker");
				assertThat(manager.start("worker")).isSameAs(cat);
				assertThat(cat.state()).isEqualTo(ProcessState.RUNNING);
				manager.stop("worker");
				assertThat(cat.state()).isEqualTo(ProcessState.NOT_RUNNING);
				assertThat(context.getBean(Events.class).of(ProcessRestartingEvent.class)).isEmpty();
			});
	}

}
