package dev.ipcboot.process;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.ipcboot.listener.IpcListener;
import dev.ipcboot.listener.IpcListenerEndpointRegistry;
import dev.ipcboot.testsupport.OurThreads;

import static dev.ipcboot.process.ProcessTestSupport.command;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A process output listener stopped, paused and resumed through the
 * {@link IpcListenerEndpointRegistry}: while it does not receive, its output is not read,
 * so the pipe fills and the child blocks on its next write; nothing is lost.
 */
class ProcessListenerLifecycleTests {

	/**
	 * About 1.3 MB of output: far more than the pipe (64 KiB) and the pump's buffer hold.
	 */
	private static final int LINES = 200_000;

	private ApplicationContextRunner runner(Class<?> listener) {
		return ProcessTestSupport.runner()
			.withBean(listener)
			.withPropertyValues(command("counter", "seq", "-f", "%080g", "1", Integer.toString(LINES)))
			.withPropertyValues("ipc.processes.counter.restart=never");
	}

	@Test
	void pausedListenerHoldsTheOutputSoTheChildBlocksAndResumingDeliversEveryLine() {
		runner(PausingLines.class).run((context) -> {
			IpcListenerEndpointRegistry registry = context.getBean(IpcListenerEndpointRegistry.class);
			PausingLines lines = context.getBean(PausingLines.class);
			ManagedProcess process = context.getBean(ProcessManager.class).find("counter").orElseThrow();
			await().until(() -> registry.isPaused("lines"));
			await().during(Duration.ofMillis(500))
				.atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(
						lines.count.get() + " " + process.state() + " " + ProcessTestSupport.isLive(process.pid()))
					.isEqualTo("1000 RUNNING true"));
			assertThat(process.state()).isEqualTo(ProcessState.RUNNING);
			registry.resume("lines");
			assertThat(process.waitForFinished(Duration.ofSeconds(30))).isTrue();
			assertThat(process.exitCode()).isZero();
			await().until(() -> lines.count.get() == LINES);
			assertThat(lines.last).isEqualTo(String.format("%080d", LINES));
		});
		await().atMost(Duration.ofSeconds(10)).until(() -> OurThreads.alive("ipc-").isEmpty());
	}

	@Test
	void listenerThatDoesNotStartAutomaticallyHoldsTheOutputUntilStartedAndStopHoldsItAgain() {
		runner(LateLines.class).run((context) -> {
			IpcListenerEndpointRegistry registry = context.getBean(IpcListenerEndpointRegistry.class);
			LateLines lines = context.getBean(LateLines.class);
			ManagedProcess process = context.getBean(ProcessManager.class).find("counter").orElseThrow();
			assertThat(registry.isRunning("late")).isFalse();
			await().during(Duration.ofMillis(500))
				.atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(
						lines.count.get() + " " + process.state() + " " + ProcessTestSupport.isLive(process.pid()))
					.isEqualTo("0 RUNNING true"));
			registry.start("late");
			// the listener holds its first line until the stop: seq is fast enough to
			// write all its output through the pipe between two polls otherwise
			assertThat(lines.first.await(30, TimeUnit.SECONDS)).isTrue();
			registry.stop("late");
			lines.release.countDown();
			assertThat(registry.isRunning("late")).isFalse();
			// the line being delivered when stop was called may still arrive, no other
			int held = lines.count.get();
			await().during(Duration.ofMillis(500))
				.atMost(Duration.ofSeconds(30))
				.untilAsserted(
						() -> assertThat(lines.count.get() + " lines, live " + ProcessTestSupport.isLive(process.pid()))
							.as("held " + held)
							.isIn((held) + " lines, live true", (held + 1) + " lines, live true"));
			assertThat(lines.count.get()).isLessThan(LINES);
			registry.start("late");
			assertThat(process.waitForFinished(Duration.ofSeconds(30))).isTrue();
			await().until(() -> lines.count.get() == LINES);
		});
	}

	/**
	 * Pauses itself after the 1000th line, so that the test knows where the output
	 * stands.
	 */
	static class PausingLines {

		final AtomicInteger count = new AtomicInteger();

		volatile String last = "";

		private final ObjectProvider<IpcListenerEndpointRegistry> registry;

		PausingLines(ObjectProvider<IpcListenerEndpointRegistry> registry) {
			this.registry = registry;
		}

		@IpcListener(value = "counter", id = "lines")
		void line(String line) {
			this.last = line;
			if (this.count.incrementAndGet() == 1000) {
				this.registry.getObject().pause("lines");
			}
		}

	}

	static class LateLines {

		final AtomicInteger count = new AtomicInteger();

		final CountDownLatch first = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		@IpcListener(value = "counter", id = "late", autoStartup = false)
		void line(String line) throws InterruptedException {
			if (this.count.incrementAndGet() == 1) {
				this.first.countDown();
				this.release.await(30, TimeUnit.SECONDS);
			}
		}

	}

}
