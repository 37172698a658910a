package dev.ipcboot.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.ipcboot.IpcEvent;
import dev.ipcboot.shm.SharedMemory;
import dev.ipcboot.shm.SharedMemoryAttachedEvent;
import dev.ipcboot.shm.SharedMemoryCreatedEvent;
import dev.ipcboot.shm.SharedMemoryDetachedEvent;
import dev.ipcboot.shm.SharedMemoryFactory;
import dev.ipcboot.testsupport.shm.Squatter;
import dev.ipcboot.testsupport.shm.SystemObjects;
import dev.ipcboot.semaphore.internal.QtKeyFiles;
import dev.ipcboot.internal.natives.IpcNatives;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Auto-configuration of {@code ipc.shared-memory}: named beans, secure defaults, clean
 * shutdown, and start-up failure analyses for bad configuration.
 */
class SharedMemoryAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SharedMemoryAutoConfiguration.class));

	@Test
	void eachConfiguredSegmentIsABeanQualifiedByItsName() {
		String frames = SystemObjects.uniqueKey("frames");
		this.runner.withUserConfiguration(Consumer.class)
			.withPropertyValues("ipc.shared-memory.frames.key=" + frames, "ipc.shared-memory.frames.size=16KB",
					"ipc.shared-memory.status.key=" + frames + "-status", "ipc.shared-memory.status.size=64B")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBeansOfType(SharedMemory.class)).hasSize(2);
				Consumer consumer = context.getBean(Consumer.class);
				assertThat(consumer.frames.key()).isEqualTo(frames);
				assertThat(consumer.frames.size()).isEqualTo(16 * 1024);
				assertThat(consumer.status.size()).isEqualTo(64);
				assertThat(consumer.frames.nativeKey()).isEqualTo("/" + frames);
			});
	}

	@Test
	void keyDefaultsToTheSegmentName() {
		String name = SystemObjects.uniqueKey("named");
		this.runner.withPropertyValues("ipc.shared-memory." + name + ".size=1KB")
			.run((context) -> assertThat(context.getBean(SharedMemory.class).key()).isEqualTo(name));
	}

	@Test
	void posixSegmentIsOwnerOnlyByDefault() {
		String key = SystemObjects.uniqueKey("perm");
		this.runner.withPropertyValues("ipc.shared-memory.s.key=" + key, "ipc.shared-memory.s.size=4KB")
			.run((context) -> assertThat(
					PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of("/dev/shm", key))))
				.isEqualTo("rw-------"));
	}

	@Test
	void permissionsPropertySetsTheExactMode() {
		String key = SystemObjects.uniqueKey("perm");
		this.runner
			.withPropertyValues("ipc.shared-memory.s.key=" + key, "ipc.shared-memory.s.size=4KB",
					"ipc.shared-memory.s.permissions=0660")
			.run((context) -> assertThat(
					PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of("/dev/shm", key))))
				.isEqualTo("rw-rw----"));
	}

	@Test
	void systemVSegmentAndItsLockAreOwnerOnlyByDefault() {
		String key = SystemObjects.uniqueKey("perm");
		this.runner
			.withPropertyValues("ipc.shared-memory.s.key=" + key, "ipc.shared-memory.s.size=4KB",
					"ipc.shared-memory.s.qt-compatible=true")
			.run((context) -> {
				Path keyFile = QtKeyFiles.qtKeyFile(QtKeyFiles.QT_SHARED_MEMORY_PREFIX, key);
				Path lockFile = QtKeyFiles.qtKeyFile(QtKeyFiles.QT_SYSTEM_SEMAPHORE_PREFIX, key);
				assertThat(SystemObjects.ipcs("-m", IpcNatives.ftok(keyFile, 'Q'))).singleElement()
					.satisfies((line) -> assertThat(line.split("\\s+")[3]).isEqualTo("600"));
				assertThat(SystemObjects.ipcs("-s", IpcNatives.ftok(lockFile, 'Q'))).singleElement()
					.satisfies((line) -> assertThat(line.split("\\s+")[3]).isEqualTo("600"));
				assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)))
					.isEqualTo("rw-r-----");
			});
	}

	@Test
	void qtKeyTypePosixNamesSegmentAndLockAsQtSixDoesOwnerOnlyAndRemovesThemOnClose() {
		String key = SystemObjects.uniqueKey("qt6");
		this.runner
			.withPropertyValues("ipc.shared-memory.s.key=" + key, "ipc.shared-memory.s.size=4KB",
					"ipc.shared-memory.s.qt-compatible=true", "ipc.shared-memory.s.qt-key-type=posix")
			.run((context) -> {
				SharedMemory memory = context.getBean(SharedMemory.class);
				assertThat(memory.nativeKey()).isEqualTo("/" + key);
				memory
					.withLock(() -> assertThat(SystemObjects.devShm(key)).containsExactlyInAnyOrder(key, "sem." + key));
				for (String file : new String[] { key, "sem." + key }) {
					assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of("/dev/shm", file))))
						.as(file)
						.isEqualTo("rw-------");
				}
			});
		assertThat(SystemObjects.devShm(key)).isEmpty();
	}

	@Test
	void qtKeyTypePosixWithoutQtCompatibleFailsStartUpNamingTheProperty() {
		assertFailure("ipc.shared-memory.s.qt-key-type=posix", "ipc.shared-memory.s.qt-key-type",
				"only applies with qt-compatible: true", "ipc.shared-memory.s.size=4KB");
	}

	@Test
	void closingTheContextRemovesEverythingItCreatedAndPublishesEvents() throws Exception {
		String key = SystemObjects.uniqueKey("leak");
		Events events = new Events();
		int[] systemVKeys = new int[3];
		this.runner.withBean(Events.class, () -> events)
			.withPropertyValues("ipc.shared-memory.p.key=" + key + "-p", "ipc.shared-memory.p.size=4KB",
					"ipc.shared-memory.v.key=" + key + "-v", "ipc.shared-memory.v.size=4KB",
					"ipc.shared-memory.v.backend=system-v", "ipc.shared-memory.q.key=" + key + "-q",
					"ipc.shared-memory.q.size=4KB", "ipc.shared-memory.q.qt-compatible=true")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				context.getBeansOfType(SharedMemory.class).values().forEach((memory) -> memory.withLock(() -> {
				}));
				Path v = QtKeyFiles.tempDirectory().resolve("ipcboot_shm_" + key + "-v");
				systemVKeys[0] = IpcNatives.ftok(v, 'M');
				systemVKeys[1] = IpcNatives.ftok(v, 'L');
				systemVKeys[2] = IpcNatives.ftok(QtKeyFiles.qtKeyFile(QtKeyFiles.QT_SHARED_MEMORY_PREFIX, key + "-q"),
						'Q');
				assertThat(SystemObjects.ipcs("-m", systemVKeys[0])).hasSize(1);
				assertThat(Files.readString(Path.of("/proc/self/maps"))).contains("/dev/shm/" + key + "-p")
					.contains(String.format("/SYSV%08x", systemVKeys[0]));
				assertThat(openDescriptors()).contains("/dev/shm/" + key + "-p");
				assertThat(events.events).hasSize(3)
					.allSatisfy((event) -> assertThat(event).isInstanceOf(SharedMemoryCreatedEvent.class));
			});
		assertThat(SystemObjects.devShm(key)).isEmpty();
		assertThat(Files.readString(Path.of("/proc/self/maps"))).doesNotContain(key)
			.doesNotContain(String.format("/SYSV%08x", systemVKeys[0]))
			.doesNotContain(String.format("/SYSV%08x", systemVKeys[2]));
		assertThat(openDescriptors()).noneMatch((target) -> target.contains(key));
		assertThat(SystemObjects.tempFiles(key)).isEmpty();
		assertThat(SystemObjects.tempFiles(QtKeyFiles.qtKeyFile("", key + "-q").getFileName().toString())).isEmpty();
		assertThat(SystemObjects.ipcs("-m", systemVKeys[0])).isEmpty();
		assertThat(SystemObjects.ipcs("-s", systemVKeys[1])).isEmpty();
		assertThat(SystemObjects.ipcs("-m", systemVKeys[2])).isEmpty();
		assertThat(events.events).filteredOn(SharedMemoryDetachedEvent.class::isInstance)
			.extracting(IpcEvent::resourceName)
			.containsExactlyInAnyOrder("p", "v", "q");
	}

	@Test
	void persistentSegmentOutlivesTheContextAndIsAttachedNextTime() throws Exception {
		String key = SystemObjects.uniqueKey("persist");
		Events events = new Events();
		String[] properties = { "ipc.shared-memory.s.key=" + key, "ipc.shared-memory.s.size=4KB",
				"ipc.shared-memory.s.persist=true" };
		this.runner.withPropertyValues(properties)
			.run((context) -> context.getBean(SharedMemory.class).write(0, new byte[] { 7 }));
		assertThat(SystemObjects.devShm(key)).containsExactly(key);
		this.runner.withPropertyValues(properties).withBean(Events.class, () -> events).run((context) -> {
			assertThat(context.getBean(SharedMemory.class).read(0, 1)).containsExactly(7);
			assertThat(events.events).first().isInstanceOf(SharedMemoryAttachedEvent.class);
		});
		Files.delete(Path.of("/dev/shm", key));
	}

	@Test
	void userFactoryBeanIsUsed() {
		SharedMemoryFactory own = new SharedMemoryFactory((event) -> {
		});
		this.runner.withBean(SharedMemoryFactory.class, () -> own)
			.run((context) -> assertThat(context.getBean(SharedMemoryFactory.class)).isSameAs(own));
	}

	@Test
	void facilityIsOffWhenDisabled() {
		this.runner.withPropertyValues("ipc.shared-memory.enabled=false", "ipc.shared-memory.s.size=4KB")
			.run((context) -> assertThat(context).doesNotHaveBean(SharedMemoryFactory.class)
				.doesNotHaveBean(SharedMemory.class));
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void deprecatedSwitchNameStillTurnsTheFacilityOffAndWarnsOnce(CapturedOutput output) {
		this.runner.withPropertyValues("ipc.shm.enabled=false", "ipc.shared-memory.s.size=4KB")
			.run((context) -> assertThat(context).doesNotHaveBean(SharedMemoryFactory.class)
				.doesNotHaveBean(SharedMemory.class));
		assertThat(output.getOut().split("Property ipc.shm.enabled is deprecated", -1)).hasSize(2);
		assertThat(output).contains("use ipc.shared-memory.enabled");
	}

	@Test
	void switchSetToTrueAmongTheSegmentsIsNotTakenForASegment() {
		String key = SystemObjects.uniqueKey("switch");
		this.runner
			.withPropertyValues("ipc.shared-memory.enabled=true", "ipc.shared-memory.s.key=" + key,
					"ipc.shared-memory.s.size=4KB")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBeansOfType(SharedMemory.class)).containsOnlyKeys("ipc.shared-memory.s");
				assertThat(context.getBean(SharedMemoryProperties.class).getSharedMemory()).containsOnlyKeys("s");
			});
	}

	@Test
	void facilityIsOffWithoutJna() {
		this.runner.withClassLoader(new FilteredClassLoader("com.sun.jna"))
			.withPropertyValues("ipc.shared-memory.s.size=4KB")
			.run((context) -> assertThat(context).doesNotHaveBean(SharedMemoryFactory.class));
	}

	@Test
	void zeroSizeFailsStartUpNamingTheProperty() {
		assertFailure("ipc.shared-memory.s.size=0B", "ipc.shared-memory.s.size", "positive size");
	}

	@Test
	void negativeSizeFailsStartUpNamingTheProperty() {
		assertFailure("ipc.shared-memory.s.size=-5MB", "ipc.shared-memory.s.size", "positive size");
	}

	@Test
	void keyWithASlashFailsStartUpNamingTheProperty() {
		assertFailure("ipc.shared-memory.s.key=a/b", "ipc.shared-memory.s.key", "'a/b' contains '/'",
				"ipc.shared-memory.s.size=4KB");
	}

	@Test
	void tooLongKeyFailsStartUpNamingTheProperty() {
		assertFailure("ipc.shared-memory.s.key=" + "k".repeat(200), "ipc.shared-memory.s.key", "200 characters",
				"ipc.shared-memory.s.size=4KB");
	}

	@Test
	void nonOctalPermissionsFailStartUpNamingTheProperty() {
		assertFailure("ipc.shared-memory.s.permissions=rw-------", "ipc.shared-memory.s.permissions",
				"not an octal permission mode", "ipc.shared-memory.s.size=4KB");
	}

	@Test
	void attachModeWithoutASegmentFailsStartUpNamingTheKey() {
		String key = SystemObjects.uniqueKey("absent");
		assertFailure("ipc.shared-memory.s.mode=attach", "ipc.shared-memory.s.mode", "'" + key + "' does not exist",
				"ipc.shared-memory.s.key=" + key);
	}

	@Test
	void segmentSquattedByAnotherUserFailsStartUpUnlessItsUidIsAnAllowedOwner() {
		Squatter.requireRoot();
		String key = SystemObjects.uniqueKey("squat");
		try (Squatter squatter = new Squatter()) {
			squatter.posixSegment(Squatter.NOBODY, key, 0666);
			assertFailure("ipc.shared-memory.s.key=" + key, "ipc.shared-memory.s", "belongs to uid " + Squatter.NOBODY,
					"ipc.shared-memory.s.size=4KB");
			this.runner
				.withPropertyValues("ipc.shared-memory.s.key=" + key, "ipc.shared-memory.s.size=4KB",
						"ipc.shared-memory.s.permissions=0666", "ipc.shared-memory.s.allowed-owners=" + Squatter.NOBODY)
				.run((context) -> {
					assertThat(context).hasNotFailed();
					assertThat(new String(context.getBean(SharedMemory.class).read(0, 8), StandardCharsets.UTF_8))
						.isEqualTo("squatted");
				});
		}
	}

	private static List<String> openDescriptors() throws Exception {
		try (var descriptors = Files.list(Path.of("/proc/self/fd"))) {
			return descriptors.map((fd) -> {
				try {
					return Files.readSymbolicLink(fd).toString();
				}
				catch (Exception ex) {
					return "";
				}
			}).toList();
		}
	}

	private void assertFailure(String property, String expectedProperty, String problem, String... more) {
		this.runner.withPropertyValues(property).withPropertyValues(more).run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = new IpcConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis).isNotNull();
			assertThat(analysis.getDescription()).contains("Property: " + expectedProperty).contains(problem);
			assertThat(analysis.getAction()).isNotBlank();
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class Consumer {

		final SharedMemory frames;

		final SharedMemory status;

		Consumer(@Qualifier("frames") SharedMemory frames, @Qualifier("status") SharedMemory status) {
			this.frames = frames;
			this.status = status;
		}

	}

	static class Events implements ApplicationListener<IpcEvent> {

		final List<IpcEvent> events = new CopyOnWriteArrayList<>();

		@Override
		public void onApplicationEvent(IpcEvent event) {
			this.events.add(event);
		}

	}

}
