package dev.ipcboot.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import dev.ipcboot.semaphore.SystemSemaphore;
import dev.ipcboot.semaphore.SystemSemaphoreFactory;
import dev.ipcboot.testsupport.shm.Squatter;
import dev.ipcboot.testsupport.shm.SystemObjects;
import dev.ipcboot.semaphore.internal.QtKeyFiles;
import dev.ipcboot.internal.natives.IpcNatives;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Auto-configuration of {@code ipc.semaphores}: named beans, secure defaults, clean
 * shutdown, and start-up failure analyses for bad configuration.
 */
class SemaphoreAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SemaphoreAutoConfiguration.class));

	@Test
	void eachConfiguredSemaphoreIsABeanQualifiedByItsName() {
		String key = SystemObjects.uniqueKey("jobs");
		this.runner.withUserConfiguration(Consumer.class)
			.withPropertyValues("ipc.semaphores.jobs.key=" + key, "ipc.semaphores.jobs.initial-value=3",
					"ipc.semaphores.gate.key=" + key + "-gate", "ipc.semaphores.gate.initial-value=0")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				Consumer consumer = context.getBean(Consumer.class);
				assertThat(consumer.jobs.key()).isEqualTo(key);
				assertThat(consumer.jobs.value()).isEqualTo(3);
				assertThat(consumer.gate.tryAcquire(Duration.ZERO)).isFalse();
			});
	}

	@Test
	void semaphoreSquattedByAnotherUserFailsStartUpUnlessItsUidIsAnAllowedOwner() {
		Squatter.requireRoot();
		String key = SystemObjects.uniqueKey("squat");
		try (Squatter squatter = new Squatter()) {
			squatter.posixSemaphore(Squatter.NOBODY, key, 0666);
			this.runner.withPropertyValues("ipc.semaphores.s.key=" + key, "ipc.semaphores.s.backend=posix")
				.run((context) -> {
					assertThat(context).hasFailed();
					FailureAnalysis analysis = new IpcConfigurationFailureAnalyzer()
						.analyze(context.getStartupFailure());
					assertThat(analysis).isNotNull();
					assertThat(analysis.getDescription()).contains("ipc.semaphores.s")
						.contains("belongs to uid " + Squatter.NOBODY);
				});
			this.runner
				.withPropertyValues("ipc.semaphores.s.key=" + key, "ipc.semaphores.s.backend=posix",
						"ipc.semaphores.s.permissions=0666", "ipc.semaphores.s.allowed-owners=" + Squatter.NOBODY)
				.run((context) -> {
					assertThat(context).hasNotFailed();
					assertThat(context.getBean(SystemSemaphore.class).value()).as("the squatter's value").isEqualTo(1);
				});
		}
	}

	@Test
	void systemVSemaphoreIsOwnerOnlyByDefaultAndGoneAfterClose() {
		String key = SystemObjects.uniqueKey("sem");
		Path keyFile = QtKeyFiles.tempDirectory().resolve("ipcboot_sem_" + key);
		int[] semKey = new int[1];
		this.runner.withPropertyValues("ipc.semaphores.s.key=" + key).run((context) -> {
			context.getBean(SystemSemaphore.class).acquire();
			semKey[0] = IpcNatives.ftok(keyFile, 'S');
			assertThat(SystemObjects.ipcs("-s", semKey[0])).singleElement()
				.satisfies((line) -> assertThat(line.split("\\s+")[3]).isEqualTo("600"));
		});
		assertThat(SystemObjects.ipcs("-s", semKey[0])).isEmpty();
		assertThat(keyFile).doesNotExist();
	}

	@Test
	void qtCompatibleSemaphoreUsesQtsKeyFileAndIsGoneAfterClose() {
		String key = SystemObjects.uniqueKey("qtsem");
		Path keyFile = QtKeyFiles.qtKeyFile(QtKeyFiles.QT_SYSTEM_SEMAPHORE_PREFIX, key);
		this.runner.withPropertyValues("ipc.semaphores.s.key=" + key, "ipc.semaphores.s.qt-compatible=true")
			.run((context) -> {
				assertThat(keyFile).exists();
				assertThat(SystemObjects.ipcs("-s", IpcNatives.ftok(keyFile, 'Q'))).hasSize(1);
			});
		assertThat(keyFile).doesNotExist();
	}

	@Test
	void posixSemaphoreIsOwnerOnlyByDefaultAndGoneAfterClose() {
		String key = SystemObjects.uniqueKey("psem");
		this.runner.withPropertyValues("ipc.semaphores.s.key=" + key, "ipc.semaphores.s.backend=posix")
			.run((context) -> assertThat(
					PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of("/dev/shm/sem." + key))))
				.isEqualTo("rw-------"));
		assertThat(SystemObjects.devShm(key)).isEmpty();
	}

	@Test
	void qtKeyTypePosixNamesTheSemaphoreAsQtSixDoesOwnerOnlyAndRemovesItOnClose() {
		String key = SystemObjects.uniqueKey("qt6sem");
		this.runner
			.withPropertyValues("ipc.semaphores.s.key=" + key, "ipc.semaphores.s.qt-compatible=true",
					"ipc.semaphores.s.qt-key-type=posix", "ipc.semaphores.s.initial-value=3")
			.run((context) -> {
				assertThat(context.getBean(SystemSemaphore.class).value()).isEqualTo(3);
				assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of("/dev/shm/sem." + key))))
					.isEqualTo("rw-------");
			});
		assertThat(SystemObjects.devShm(key)).isEmpty();
	}

	@Test
	void qtKeyTypePosixWithoutQtCompatibleFailsStartUpNamingTheProperty() {
		assertFailure("ipc.semaphores.s.qt-key-type=posix", "ipc.semaphores.s.qt-key-type",
				"only applies with qt-compatible: true");
	}

	@Test
	void persistentSemaphoreOutlivesTheContext() throws Exception {
		String key = SystemObjects.uniqueKey("psem");
		this.runner
			.withPropertyValues("ipc.semaphores.s.key=" + key, "ipc.semaphores.s.backend=posix",
					"ipc.semaphores.s.persist=true", "ipc.semaphores.s.initial-value=4")
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(SystemObjects.devShm(key)).containsExactly("sem." + key);
		Files.delete(Path.of("/dev/shm/sem." + key));
	}

	@Test
	void facilityIsOffWhenDisabled() {
		this.runner.withPropertyValues("ipc.semaphores.enabled=false", "ipc.semaphores.s.initial-value=1")
			.run((context) -> assertThat(context).doesNotHaveBean(SystemSemaphoreFactory.class)
				.doesNotHaveBean(SystemSemaphore.class));
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void deprecatedSwitchNameStillTurnsTheFacilityOffAndWarnsOnce(CapturedOutput output) {
		this.runner.withPropertyValues("ipc.semaphore.enabled=false", "ipc.semaphores.s.initial-value=1")
			.run((context) -> assertThat(context).doesNotHaveBean(SystemSemaphoreFactory.class)
				.doesNotHaveBean(SystemSemaphore.class));
		assertThat(output.getOut().split("Property ipc.semaphore.enabled is deprecated", -1)).hasSize(2);
		assertThat(output).contains("use ipc.semaphores.enabled");
	}

	@Test
	void newSwitchWinsOverTheDeprecatedOne() {
		String key = SystemObjects.uniqueKey("switch");
		this.runner
			.withPropertyValues("ipc.semaphores.enabled=true", "ipc.semaphore.enabled=false",
					"ipc.semaphores.s.key=" + key, "ipc.semaphores.s.initial-value=1")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBeansOfType(SystemSemaphore.class)).containsOnlyKeys("ipc.semaphores.s");
			});
	}

	@Test
	void facilityIsOffWithoutJna() {
		this.runner.withClassLoader(new FilteredClassLoader("com.sun.jna"))
			.run((context) -> assertThat(context).doesNotHaveBean(SystemSemaphoreFactory.class));
	}

	@Test
	void negativeInitialValueFailsStartUpNamingTheProperty() {
		assertFailure("ipc.semaphores.s.initial-value=-1", "ipc.semaphores.s.initial-value", "initial value -1");
	}

	@Test
	void keyWithASlashFailsStartUpNamingTheProperty() {
		assertFailure("ipc.semaphores.s.key=x/y", "ipc.semaphores.s.key", "'x/y' contains '/'");
	}

	private void assertFailure(String property, String expectedProperty, String problem) {
		this.runner.withPropertyValues(property).run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = new IpcConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis).isNotNull();
			assertThat(analysis.getDescription()).contains("Property: " + expectedProperty).contains(problem);
			assertThat(analysis.getAction()).isNotBlank();
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class Consumer {

		final SystemSemaphore jobs;

		final SystemSemaphore gate;

		Consumer(@Qualifier("jobs") SystemSemaphore jobs, @Qualifier("gate") SystemSemaphore gate) {
			this.jobs = jobs;
			this.gate = gate;
		}

	}

}
