package dev.ipcboot.process;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.ipcboot.process.ProcessTestSupport.Events;

import static dev.ipcboot.process.ProcessTestSupport.command;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a child's environment holds: the application's plus {@code environment}, without
 * {@code remove-environment}, or only {@code environment} with
 * {@code inherit-environment: false}.
 */
class ProcessEnvironmentTests {

	@Test
	void removedVariablesDoNotReachTheChildWhileTheRestIsInherited() {
		assertThat(System.getenv()).containsKey("PATH").containsKey("HOME");
		ProcessTestSupport.runner().run((context) -> {
			ProcessResult result = context.getBean(ProcessManager.class)
				.run(ProcessSpec.of("env", "env")
					.withEnvironment(Map.of("ADDED", "yes"), false)
					.withoutEnvironment(Set.of("HOME")), Duration.ofSeconds(10));
			assertThat(result.stdoutText().lines()).contains("ADDED=yes", "PATH=" + System.getenv("PATH"))
				.noneMatch((line) -> line.startsWith("HOME="));
		});
	}

	@Test
	void withoutInheritingTheChildGetsOnlyItsConfiguredVariables() {
		ProcessTestSupport.runner()
			.withBean(Lines.class)
			.withPropertyValues(command("env", "/usr/bin/env"))
			.withPropertyValues("ipc.processes.env.restart=never", "ipc.processes.env.inherit-environment=false",
					"ipc.processes.env.environment.ONLY=this")
			.run((context) -> {
				Events events = context.getBean(Events.class);
				await().untilAsserted(() -> assertThat(events.of(ProcessFinishedEvent.class)).hasSize(1));
				await().untilAsserted(() -> assertThat(context.getBean(Lines.class).all).containsExactly("ONLY=this"));
			});
	}

	@Test
	void configuredRemoveEnvironmentKeepsASecretFromTheChild() {
		ProcessTestSupport.runner()
			.withBean(Lines.class)
			.withPropertyValues(command("env", "/usr/bin/env"))
			.withPropertyValues("ipc.processes.env.restart=never", "ipc.processes.env.remove-environment=HOME,PATH")
			.run((context) -> {
				Events events = context.getBean(Events.class);
				await().untilAsserted(() -> assertThat(events.of(ProcessFinishedEvent.class)).hasSize(1));
				await().untilAsserted(() -> assertThat(context.getBean(Lines.class).all).isNotEmpty()
					.noneMatch((line) -> line.startsWith("HOME=") || line.startsWith("PATH=")));
			});
	}

	static class Lines {

		final java.util.List<String> all = new java.util.concurrent.CopyOnWriteArrayList<>();

		@dev.ipcboot.listener.IpcListener("env")
		void line(String line) {
			this.all.add(line);
		}

	}

}
