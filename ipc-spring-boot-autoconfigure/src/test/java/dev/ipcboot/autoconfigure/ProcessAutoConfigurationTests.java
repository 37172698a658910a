package dev.ipcboot.autoconfigure;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.NestedExceptionUtils;

import dev.ipcboot.IpcConfigurationException;
import dev.ipcboot.listener.IpcChannelSource;
import dev.ipcboot.process.DefaultProcessManager;
import dev.ipcboot.process.ManagedProcess;
import dev.ipcboot.process.ProcessManager;
import dev.ipcboot.process.ProcessOutputHandler;
import dev.ipcboot.process.ProcessResult;
import dev.ipcboot.process.ProcessSpec;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ProcessAutoConfiguration}: defaults, back-off, switches and validation.
 */
class ProcessAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(IpcListenerAutoConfiguration.class, ProcessAutoConfiguration.class));

	@Test
	void definesAProcessManagerAndAChannelPerConfiguredProcess() {
		this.runner
			.withPropertyValues("ipc.processes.worker.command[0]=cat", "ipc.processes.worker.autostart=false",
					"ipc.processes.other.command[0]=cat", "ipc.processes.other.autostart=false")
			.run((context) -> {
				assertThat(context).hasSingleBean(DefaultProcessManager.class);
				assertThat(context.getBean(ProcessManager.class).names()).containsExactly("worker", "other");
				assertThat(context.getBean("processChannels", IpcChannelSource.class).channels())
					.extracting((channel) -> channel.name() + " " + channel.kind() + " " + channel.property())
					.containsExactly("worker process ipc.processes.worker", "other process ipc.processes.other");
			});
	}

	@Test
	void withNoProcessConfiguredTheManagerIsCreatedOnlyWhenAskedForAndRunsAdHocProcesses() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean("processChannels");
			assertThat(context.getBeanFactory().containsSingleton(ProcessManagerOnDemandConfiguration.BEAN_NAME))
				.as("created before anyone asked")
				.isFalse();
			ProcessResult result = context.getBean(ProcessManager.class)
				.run(ProcessSpec.of("greeting", "echo", "hello"), Duration.ofSeconds(20));
			assertThat(result.succeeded()).isTrue();
			assertThat(result.stdoutText()).isEqualTo("hello\n");
			assertThat(context.getBeanFactory().containsSingleton(ProcessManagerOnDemandConfiguration.BEAN_NAME))
				.isTrue();
		});
	}

	@Test
	void userProcessManagerMakesTheDefaultOneBackOff() {
		this.runner.withBean(ProcessManager.class, UserProcessManager::new)
			.run((context) -> assertThat(context).hasSingleBean(ProcessManager.class)
				.doesNotHaveBean(DefaultProcessManager.class)
				.doesNotHaveBean("processChannels"));
	}

	@Test
	void switchedOffByProperty() {
		this.runner.withPropertyValues("ipc.processes.enabled=false", "ipc.processes.worker.command[0]=cat")
			.run((context) -> assertThat(context).doesNotHaveBean(ProcessManager.class));
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void deprecatedSwitchNameStillSwitchesItOffAndWarnsOnce(CapturedOutput output) {
		this.runner.withPropertyValues("ipc.process.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ProcessManager.class));
		assertThat(output.getOut().split("Property ipc.process.enabled is deprecated", -1)).hasSize(2);
		assertThat(output).contains("use ipc.processes.enabled");
	}

	@Test
	void switchSetToTrueAmongTheProcessesIsNotTakenForAProcess() {
		this.runner
			.withPropertyValues("ipc.processes.enabled=true", "ipc.processes.worker.command[0]=cat",
					"ipc.processes.worker.autostart=false")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(ProcessManager.class).names()).containsExactly("worker");
			});
	}

	@Test
	void staysOnWithoutJnaToStartChildrenWithProcessBuilder() {
		this.runner.withClassLoader(new FilteredClassLoader("com.sun.jna"))
			.run((context) -> assertThat(context).hasSingleBean(ProcessManager.class));
	}

	@Test
	void emptyCommandFailsStartUpNamingTheProperty() {
		assertInvalid("ipc.processes.worker.command", "ipc.processes.worker.autostart=false",
				"ipc.processes.worker.environment.A=b");
	}

	@Test
	void negativeRestartDelayFailsStartUpNamingTheProperty() {
		assertInvalid("ipc.processes.worker.restart-delay", "ipc.processes.worker.command[0]=cat",
				"ipc.processes.worker.restart-delay=-1s");
	}

	@Test
	void restartDelayAboveTheMaximumFailsStartUpNamingTheProperty() {
		assertInvalid("ipc.processes.worker.restart-delay", "ipc.processes.worker.command[0]=cat",
				"ipc.processes.worker.restart-delay=1m", "ipc.processes.worker.restart-max-delay=10s");
	}

	@Test
	void negativeMaxRestartsFailsStartUpNamingTheProperty() {
		assertInvalid("ipc.processes.worker.max-restarts", "ipc.processes.worker.command[0]=cat",
				"ipc.processes.worker.max-restarts=-1");
	}

	@Test
	void negativeStopTimeoutFailsStartUpNamingTheProperty() {
		assertInvalid("ipc.processes.worker.stop-timeout", "ipc.processes.worker.command[0]=cat",
				"ipc.processes.worker.stop-timeout=-5s");
	}

	private void assertInvalid(String property, String... properties) {
		this.runner.withPropertyValues(properties).run((context) -> {
			Throwable cause = NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure());
			assertThat(cause).isInstanceOf(IpcConfigurationException.class);
			assertThat(((IpcConfigurationException) cause).getProperty()).isEqualTo(property);
			assertThat(((IpcConfigurationException) cause).getAction()).isNotBlank();
		});
	}

	static class UserProcessManager implements ProcessManager {

		@Override
		public ManagedProcess start(String name) {
			throw new UnsupportedOperationException();
		}

		@Override
		public ManagedProcess start(ProcessSpec spec) {
			throw new UnsupportedOperationException();
		}

		@Override
		public ManagedProcess start(ProcessSpec spec, ProcessOutputHandler output) {
			throw new UnsupportedOperationException();
		}

		@Override
		public ProcessResult run(ProcessSpec spec, byte @Nullable [] stdin, Duration timeout, int maxCaptureBytes) {
			throw new UnsupportedOperationException();
		}

		@Override
		public long startDetached(ProcessSpec spec) {
			throw new UnsupportedOperationException();
		}

		@Override
		public void stop(String name) {
		}

		@Override
		public Optional<ManagedProcess> find(String name) {
			return Optional.empty();
		}

		@Override
		public Set<String> names() {
			return Set.of();
		}

	}

}
