package dev.ipcboot.shm;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.ipcboot.shm.SharedMemorySettings.Backend;
import dev.ipcboot.shm.SharedMemorySettings.Mode;
import dev.ipcboot.testsupport.shm.PeerProcess;
import dev.ipcboot.testsupport.shm.SystemObjects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * A segment shared with a second JVM, over every backend: bytes, the lock, and what a
 * {@code kill -9} leaves behind.
 */
class SharedMemoryCrossProcessTests {

	private final SharedMemoryFactory factory = new SharedMemoryFactory((event) -> {
	});

	@AfterEach
	void closeFactory() {
		this.factory.close();
	}

	@ParameterizedTest
	@EnumSource(Backend.class)
	void writesOfEachProcessAreSeenByTheOther(Backend backend) {
		String key = SystemObjects.uniqueKey("cross");
		try (SharedMemory memory = this.factory.open(SharedMemorySettings.of(key, 4096).withBackend(backend));
				PeerProcess peer = PeerProcess.java()) {
			peer.call("shm " + backend + " ATTACH " + key + " 0");
			memory.write(100, "from-us".getBytes(StandardCharsets.UTF_8));
			assertThat(peer.call("read 100 7")).isEqualTo("from-us");
			peer.call("write 200 from-peer");
			assertThat(new String(memory.read(200, 9), StandardCharsets.UTF_8)).isEqualTo("from-peer");
			assertThat(memory.buffer().get(200)).isEqualTo((byte) 'f');
		}
	}

	@ParameterizedTest
	@EnumSource(Backend.class)
	void lockOfAnotherProcessExcludesUsUntilItUnlocks(Backend backend) {
		String key = SystemObjects.uniqueKey("lock");
		try (SharedMemory memory = this.factory.open(SharedMemorySettings.of(key, 64).withBackend(backend));
				PeerProcess peer = PeerProcess.java()) {
			peer.call("shm " + backend + " ATTACH " + key + " 0");
			peer.call("lock");
			CompletableFuture<Void> ours = CompletableFuture.runAsync(memory::lock);
			await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(2)).until(() -> !ours.isDone());
			peer.call("unlock");
			await().atMost(Duration.ofSeconds(5)).until(ours::isDone);
			// now we hold it: the peer waits
			peer.send("lock");
			await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(2)).until(() -> !peer.hasOutput());
			memory.unlock();
			peer.expect("OK");
			peer.call("unlock");
		}
	}

	@ParameterizedTest
	@EnumSource(Backend.class)
	void killingTheProcessThatHoldsTheLockFreesIt(Backend backend) {
		String key = SystemObjects.uniqueKey("kill");
		try (SharedMemory memory = this.factory.open(SharedMemorySettings.of(key, 64).withBackend(backend));
				PeerProcess peer = PeerProcess.java()) {
			peer.call("shm " + backend + " ATTACH " + key + " 0");
			peer.call("lock");
			CompletableFuture<Void> ours = CompletableFuture.runAsync(memory::lock);
			await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !ours.isDone());
			peer.kill9();
			// the kernel gives back a flock or a SEM_UNDO semaphore at once; a Qt 6
			// POSIX lock is given back by our waiter when it looks for a dead holder,
			// 1 s after it began to wait, then after 2 s and 4 s more: on a loaded
			// machine the first look may come before the kill
			await().atMost(Duration.ofSeconds(10)).until(ours::isDone);
			memory.unlock();
		}
	}

	@ParameterizedTest
	@EnumSource(Backend.class)
	void segmentLeftByAKilledCreatorDoesNotStopANewCreator(Backend backend) {
		String key = SystemObjects.uniqueKey("leftover");
		String nativeKey;
		try (PeerProcess peer = PeerProcess.java()) {
			nativeKey = peer.call("shm " + backend + " CREATE " + key + " 128");
			peer.call("write 0 stale");
			peer.call("lock");
			peer.kill9();
		}
		Path leftover = Path
			.of((backend == Backend.POSIX || backend == Backend.QT_POSIX) ? "/dev/shm" + nativeKey : nativeKey);
		assertThat(leftover).exists();
		SharedMemory memory = this.factory
			.open(SharedMemorySettings.of(key, 256).withBackend(backend).withMode(Mode.CREATE));
		assertThat(memory.nativeKey()).isEqualTo(nativeKey);
		assertThat(memory.size()).isEqualTo(256);
		assertThat(memory.read(0, 5)).containsOnly(0);
		memory.withLock(() -> memory.write(0, new byte[] { 1 }));
		memory.close();
		assertThat(leftover).doesNotExist();
	}

	@ParameterizedTest
	@EnumSource(value = Backend.class, names = { "SYSTEM_V", "QT", "QT_POSIX" })
	void smallerSegmentLeftByAKilledCreatorIsReplacedInCreateOrAttachMode(Backend backend) {
		String key = SystemObjects.uniqueKey("grown");
		try (PeerProcess peer = PeerProcess.java()) {
			peer.call("shm " + backend + " CREATE " + key + " 128");
			peer.kill9();
		}
		try (SharedMemory memory = this.factory.open(SharedMemorySettings.of(key, 4096).withBackend(backend))) {
			assertThat(memory.size()).isEqualTo(4096);
		}
		assertThat(SystemObjects.devShm(key)).as("the new creator removes the segment and its lock").isEmpty();
	}

	@ParameterizedTest
	@EnumSource(Backend.class)
	void attachingToASmallerSegmentThanConfiguredFailsNamingTheKey(Backend backend) {
		String key = SystemObjects.uniqueKey("small");
		try (SharedMemory small = this.factory.open(SharedMemorySettings.of(key, 128).withBackend(backend))) {
			assertThatExceptionOfType(SharedMemoryException.class)
				.isThrownBy(() -> this.factory.open(SharedMemorySettings.of(key, 4096).withBackend(backend)))
				.withMessageContaining("'" + key + "' is 128 bytes, smaller than the configured size 4096");
			assertThat(small.isAttached()).isTrue();
		}
	}

	@ParameterizedTest
	@EnumSource(Backend.class)
	void closingWhileLockedReleasesTheLockForOthers(Backend backend) {
		String key = SystemObjects.uniqueKey("closelocked");
		try (SharedMemory memory = this.factory.open(SharedMemorySettings.of(key, 64).withBackend(backend));
				PeerProcess peer = PeerProcess.java()) {
			peer.call("shm " + backend + " ATTACH " + key + " 0");
			peer.call("lock");
			peer.call("close");
			CompletableFuture<Void> ours = CompletableFuture.runAsync(memory::lock);
			await().atMost(Duration.ofSeconds(5)).until(ours::isDone);
			assertThat(peer.process().isAlive()).isTrue();
			memory.unlock();
		}
	}

	@Test
	void createOrAttachSegmentStaysUntilTheLastProcessThatOpenedItLeaves() {
		String key = SystemObjects.uniqueKey("lastout");
		Path segment = Path.of("/dev/shm", key);
		try (PeerProcess peer = PeerProcess.java()) {
			SharedMemory creator = this.factory
				.open(SharedMemorySettings.of(key, 64).withBackend(Backend.POSIX).withMode(Mode.CREATE_OR_ATTACH));
			peer.call("shm POSIX CREATE_OR_ATTACH " + key + " 64");
			creator.write(0, "kept".getBytes(StandardCharsets.UTF_8));
			creator.close();
			assertThat(segment).as("the creator left, the peer still has it open").exists();
			assertThat(peer.call("read 0 4")).isEqualTo("kept");
			peer.call("close");
			assertThat(segment).as("the last one out removes it").doesNotExist();
		}
	}

}
