package dev.ipcboot.observability;

import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.ipcboot.internal.IpcResource;
import dev.ipcboot.internal.IpcResourceSource;
import dev.ipcboot.internal.IpcResourceState;
import dev.ipcboot.IpcResourceStatus;
import dev.ipcboot.autoconfigure.IpcMetricsAutoConfiguration;
import dev.ipcboot.autoconfigure.SemaphoreAutoConfiguration;
import dev.ipcboot.autoconfigure.SharedMemoryAutoConfiguration;
import dev.ipcboot.semaphore.SystemSemaphore;
import dev.ipcboot.shm.SharedMemory;
import dev.ipcboot.testsupport.shm.SystemObjects;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Configured shared-memory segments and semaphores are resources with their keys and
 * size, and the time callers wait for a lock or a unit is timed.
 */
class IpcSharedResourcesObservabilityTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(IpcMetricsAutoConfiguration.class, SharedMemoryAutoConfiguration.class,
				SemaphoreAutoConfiguration.class))
		.withBean(MeterRegistry.class, SimpleMeterRegistry::new);

	@Test
	void segmentsAndSemaphoresAreUpWithTheirKeysAndLockWaitsAreTimed() {
		String board = SystemObjects.uniqueKey("board");
		String slots = SystemObjects.uniqueKey("slots");
		this.runner
			.withPropertyValues("ipc.shared-memory.board.key=" + board, "ipc.shared-memory.board.size=4KB",
					"ipc.semaphores.slots.key=" + slots, "ipc.semaphores.slots.initial-value=2")
			.run((context) -> {
				Map<String, IpcResource> resources = resources(context);
				IpcResourceState segment = resources.get("shared memory board").state();
				assertThat(segment.status()).isEqualTo(IpcResourceStatus.UP);
				assertThat(segment.details()).containsEntry("key", board)
					.containsEntry("size", 4096L)
					.containsEntry("backend", "posix")
					.containsEntry("nativeKey", "/" + board);
				IpcResourceState semaphore = resources.get("semaphore slots").state();
				assertThat(semaphore.status()).isEqualTo(IpcResourceStatus.UP);
				assertThat(semaphore.details()).containsEntry("key", slots).containsEntry("value", 2);

				SharedMemory memory = context.getBean(SharedMemory.class);
				memory.withLock(() -> memory.read(0, 1));
				memory.withLock(() -> memory.read(0, 1));
				SystemSemaphore units = context.getBean(SystemSemaphore.class);
				units.acquire();
				assertThat(units.tryAcquire(Duration.ZERO)).isTrue();
				assertThat(units.tryAcquire(Duration.ZERO)).isFalse();
				assertThat(resources(context).get("semaphore slots").state().details()).containsEntry("value", 0);
				units.release(2);

				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get("ipc.lock.wait")
					.tag("resource", "board")
					.tag("kind", "shared memory")
					.timer()
					.count()).isEqualTo(2);
				assertThat(
						registry.get("ipc.lock.wait").tag("resource", "slots").tag("kind", "semaphore").timer().count())
					.isEqualTo(3);
			});
	}

	private static Map<String, IpcResource> resources(AssertableApplicationContext context) {
		return context.getBeansOfType(IpcResourceSource.class)
			.values()
			.stream()
			.flatMap((source) -> source.resources().stream())
			.collect(Collectors.toMap((resource) -> resource.kind() + " " + resource.name(),
					(resource) -> (IpcResource) resource));
	}

}
