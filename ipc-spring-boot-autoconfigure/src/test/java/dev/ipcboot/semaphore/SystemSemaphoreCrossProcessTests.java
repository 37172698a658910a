package dev.ipcboot.semaphore;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.ipcboot.semaphore.SemaphoreSettings.Backend;
import dev.ipcboot.semaphore.SemaphoreSettings.Mode;
import dev.ipcboot.testsupport.shm.PeerProcess;
import dev.ipcboot.testsupport.shm.SystemObjects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * A semaphore shared with a second JVM, over every backend.
 */
class SystemSemaphoreCrossProcessTests {

	private final SystemSemaphoreFactory factory = new SystemSemaphoreFactory();

	@AfterEach
	void closeFactory() {
		this.factory.close();
	}

	private SystemSemaphore open(String key, int value, Backend backend, Mode mode) {
		return this.factory.open(new SemaphoreSettings(key, value, mode, 0600, false, backend));
	}

	@ParameterizedTest
	@EnumSource(Backend.class)
	void countsMoveAcrossProcesses(Backend backend) {
		String key = SystemObjects.uniqueKey("count");
		SystemSemaphore semaphore = open(key, 2, backend, Mode.OPEN);
		try (PeerProcess peer = PeerProcess.java()) {
			peer.call("sem " + backend + " OPEN " + key + " 99");
			assertThat(peer.call("value")).isEqualTo("2");
			peer.call("acquire");
			assertThat(semaphore.value()).isEqualTo(1);
			semaphore.acquire();
			assertThat(peer.call("value")).isEqualTo("0");
			assertThat(peer.call("try 0")).isEqualTo("false");
			peer.call("release 3");
			assertThat(semaphore.value()).isEqualTo(3);
		}
	}

	@ParameterizedTest
	@EnumSource(Backend.class)
	void consumerThatOnlyAcquiresKeepsWorkingPastTheKernelUndoLimit(Backend backend) {
		// one handle only acquires, a second one only releases: the first one's undo
		// record
		// grows with every unit, and the kernel caps it at 32767
		String key = SystemObjects.uniqueKey("consumer");
		SystemSemaphore consumer = open(key, 0, backend, Mode.OPEN);
		SystemSemaphore producer = open(key, 0, backend, Mode.OPEN);
		for (int i = 0; i < 40_000; i++) {
			producer.release();
			consumer.acquire();
		}
		assertThat(consumer.value()).isZero();
		producer.release(2);
		assertThat(consumer.tryAcquire(Duration.ZERO)).isTrue();
		assertThat(consumer.value()).isEqualTo(1);
	}

	@ParameterizedTest
	@EnumSource(Backend.class)
	void tryAcquireReturnsFalseOnceTheTimeoutHasPassed(Backend backend) {
		SystemSemaphore semaphore = open(SystemObjects.uniqueKey("timeout"), 0, backend, Mode.OPEN);
		long start = System.nanoTime();
		assertThat(semaphore.tryAcquire(Duration.ofMillis(300))).isFalse();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(290));
		assertThat(semaphore.value()).isZero();
	}

	@ParameterizedTest
	@EnumSource(Backend.class)
	void tryAcquireSucceedsAsSoonAsAnotherProcessReleases(Backend backend) {
		String key = SystemObjects.uniqueKey("wake");
		SystemSemaphore semaphore = open(key, 0, backend, Mode.OPEN);
		try (PeerProcess peer = PeerProcess.java()) {
			peer.call("sem " + backend + " OPEN " + key + " 0");
			CompletableFuture<Boolean> acquired = CompletableFuture
				.supplyAsync(() -> semaphore.tryAcquire(Duration.ofSeconds(30)));
			await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> !acquired.isDone());
			peer.call("release 1");
			await().atMost(Duration.ofSeconds(10)).until(acquired::isDone);
			assertThat(acquired.join()).isTrue();
		}
	}

	@ParameterizedTest
	@EnumSource(value = Backend.class, names = { "SYSTEM_V", "QT" })
	void unitsHeldByAKilledProcessComeBack(Backend backend) {
		String key = SystemObjects.uniqueKey("undo");
		SystemSemaphore semaphore = open(key, 1, backend, Mode.OPEN);
		try (PeerProcess peer = PeerProcess.java()) {
			peer.call("sem " + backend + " OPEN " + key + " 1");
			peer.call("acquire");
			assertThat(semaphore.value()).isZero();
			peer.kill9();
			await().atMost(Duration.ofSeconds(10)).until(() -> semaphore.value() == 1);
		}
	}

	@ParameterizedTest
	@EnumSource(value = Backend.class, names = { "SYSTEM_V", "QT" })
	void unitsReleasedByAProducerStayAfterItExits(Backend backend) {
		String key = SystemObjects.uniqueKey("produce");
		SystemSemaphore semaphore = open(key, 0, backend, Mode.OPEN);
		try (PeerProcess peer = PeerProcess.java()) {
			peer.call("sem " + backend + " OPEN " + key + " 0");
			peer.call("release 3");
			peer.call("exit");
			await().atMost(Duration.ofSeconds(5)).until(() -> !peer.process().isAlive());
		}
		assertThat(semaphore.value()).isEqualTo(3);
	}

	@ParameterizedTest
	@EnumSource(Backend.class)
	void createModeResetsASemaphoreLeftByAKilledProcess(Backend backend) {
		String key = SystemObjects.uniqueKey("reset");
		try (PeerProcess peer = PeerProcess.java()) {
			peer.call("sem " + backend + " CREATE " + key + " 1");
			peer.call("release 5");
			peer.kill9();
		}
		SystemSemaphore semaphore = open(key, 1, backend, Mode.CREATE);
		assertThat(semaphore.value()).isEqualTo(1);
		semaphore.close();
	}

	@ParameterizedTest
	@EnumSource(Backend.class)
	void releasingLessThanOneUnitIsRefusedNamingTheKey(Backend backend) {
		SystemSemaphore semaphore = open(SystemObjects.uniqueKey("zero"), 0, backend, Mode.OPEN);
		assertThatIllegalArgumentException().isThrownBy(() -> semaphore.release(0))
			.withMessageContaining(semaphore.key());
		assertThat(semaphore.value()).isZero();
	}

	@ParameterizedTest
	@EnumSource(value = Backend.class, names = { "SYSTEM_V", "QT" })
	void closingGivesBackTheUnitsThisProcessHolds(Backend backend) {
		String key = SystemObjects.uniqueKey("close");
		SystemSemaphore owner = open(key, 2, backend, Mode.OPEN);
		SystemSemaphore user = open(key, 2, backend, Mode.OPEN);
		user.acquire();
		user.acquire();
		assertThat(owner.value()).isZero();
		user.close();
		assertThat(owner.value()).isEqualTo(2);
	}

	@ParameterizedTest
	@EnumSource(Backend.class)
	void closingWhileAThreadWaitsFailsThatWaitAndKeepsTheProcessAlive(Backend backend) {
		SystemSemaphore semaphore = open(SystemObjects.uniqueKey("closewait"), 0, backend, Mode.CREATE);
		CompletableFuture<Void> waiting = CompletableFuture.runAsync(semaphore::acquire);
		await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !waiting.isDone());
		semaphore.close();
		await().atMost(Duration.ofSeconds(5)).until(waiting::isDone);
		assertThat(waiting).isCompletedExceptionally();
		assertThatExceptionOfType(CompletionException.class).isThrownBy(waiting::join)
			.withCauseInstanceOf(SystemSemaphoreException.class);
	}

}
