package dev.ipcboot.shm;

import java.io.IOException;
import java.nio.ReadOnlyBufferException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import dev.ipcboot.shm.SharedMemorySettings.Access;
import dev.ipcboot.shm.SharedMemorySettings.Backend;
import dev.ipcboot.shm.SharedMemorySettings.Mode;
import dev.ipcboot.testsupport.shm.SystemObjects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Bad input to segments: each is refused with a message naming the key, and nothing
 * outside the asked range is touched.
 */
class SharedMemoryBadInputTests {

	private final SharedMemoryFactory factory = new SharedMemoryFactory((event) -> {
	});

	@AfterEach
	void closeFactory() {
		this.factory.close();
	}

	@Test
	void zeroSizeIsRefusedNamingTheKey() {
		assertThatIllegalArgumentException().isThrownBy(() -> SharedMemorySettings.of("zero-size", 0))
			.withMessageContaining("'zero-size'")
			.withMessageContaining("positive size");
	}

	@Test
	void negativeSizeIsRefusedNamingTheKey() {
		assertThatIllegalArgumentException().isThrownBy(() -> SharedMemorySettings.of("minus", -4096))
			.withMessageContaining("'minus'");
	}

	@Test
	void keyWithASlashIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> SharedMemorySettings.of("a/b", 64))
			.withMessageContaining("'a/b'")
			.withMessageContaining("'/'");
	}

	@Test
	void tooLongKeyIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> SharedMemorySettings.of("k".repeat(300), 64))
			.withMessageContaining("300 characters");
	}

	@Test
	void sizeLargerThanDevShmCanHoldIsRefusedAndLeavesNothing() throws IOException {
		String key = SystemObjects.uniqueKey("huge");
		long tooBig = Files.getFileStore(Path.of("/dev/shm")).getUsableSpace() + (1L << 30);
		assertThatExceptionOfType(SharedMemoryException.class)
			.isThrownBy(() -> this.factory.open(SharedMemorySettings.of(key, tooBig)))
			.withMessageContaining("'" + key + "'")
			.withMessageContaining("does not fit in /dev/shm");
		assertThat(SystemObjects.devShm(key)).isEmpty();
	}

	@ParameterizedTest
	@EnumSource(Backend.class)
	void attachModeWithoutASegmentFailsNamingTheKey(Backend backend) {
		String key = SystemObjects.uniqueKey("missing");
		assertThatExceptionOfType(SharedMemoryException.class)
			.isThrownBy(() -> this.factory.open(SharedMemorySettings.attach(key).withBackend(backend)))
			.withMessageContaining("'" + key + "' does not exist")
			.withMessageContaining("create-or-attach");
		assertThat(SystemObjects.tempFiles(key)).isEmpty();
	}

	@ParameterizedTest
	@EnumSource(Backend.class)
	void outOfBoundsReadsAndWritesAreRefusedAndTouchNothing(Backend backend) {
		String key = SystemObjects.uniqueKey("bounds");
		SharedMemory memory = this.factory.open(SharedMemorySettings.of(key, 64).withBackend(backend));
		memory.write(0, new byte[64]);
		assertThatExceptionOfType(IndexOutOfBoundsException.class)
			.isThrownBy(() -> memory.write(60, new byte[] { 1, 2, 3, 4, 5 }))
			.withMessageContaining("'" + key + "'");
		assertThatExceptionOfType(IndexOutOfBoundsException.class).isThrownBy(() -> memory.write(-1, new byte[1]));
		assertThatExceptionOfType(IndexOutOfBoundsException.class).isThrownBy(() -> memory.read(60, 5));
		assertThatExceptionOfType(IndexOutOfBoundsException.class).isThrownBy(() -> memory.read(Long.MAX_VALUE, 1));
		assertThatExceptionOfType(IndexOutOfBoundsException.class).isThrownBy(() -> memory.read(0, -1));
		assertThat(memory.read(0, 64)).containsOnly(0);
		memory.write(59, new byte[] { 1, 2, 3, 4, 5 });
		assertThat(memory.read(59, 5)).containsExactly(1, 2, 3, 4, 5);
	}

	@ParameterizedTest
	@EnumSource(Backend.class)
	void writeThroughAReadOnlyAttachIsRefusedAndTheBufferIsReadOnly(Backend backend) {
		String key = SystemObjects.uniqueKey("readonly");
		SharedMemory writer = this.factory.open(SharedMemorySettings.of(key, 64).withBackend(backend));
		writer.write(0, new byte[] { 42 });
		SharedMemory reader = this.factory
			.open(SharedMemorySettings.attach(key).withBackend(backend).withAccess(Access.READ_ONLY));
		assertThatExceptionOfType(SharedMemoryException.class).isThrownBy(() -> reader.write(0, new byte[] { 7 }))
			.withMessageContaining("'" + key + "' is attached read-only");
		assertThatExceptionOfType(ReadOnlyBufferException.class).isThrownBy(() -> reader.buffer().put(0, (byte) 7));
		assertThat(reader.read(0, 1)).containsExactly(42);
		reader.withLock(() -> assertThat(reader.buffer().get(0)).isEqualTo((byte) 42));
		// the sharer leaves first; the read-only guest neither keeps nor removes it
		writer.close();
		reader.close();
		assertThat(SystemObjects.devShm(key)).as("segment left in /dev/shm").isEmpty();
	}

	@ParameterizedTest
	@EnumSource(Backend.class)
	void createModeRefusesASegmentAnotherProcessUses(Backend backend) {
		String key = SystemObjects.uniqueKey("taken");
		SharedMemory first = this.factory.open(SharedMemorySettings.of(key, 64).withBackend(backend));
		first.write(0, new byte[] { 9 });
		assertThatExceptionOfType(SharedMemoryException.class).isThrownBy(
				() -> this.factory.open(SharedMemorySettings.of(key, 64).withBackend(backend).withMode(Mode.CREATE)))
			.withMessageContaining("'" + key + "' already exists");
		assertThat(first.read(0, 1)).containsExactly(9);
	}

	@Test
	void unlockWithoutLockIsRefused() {
		SharedMemory memory = this.factory.open(SharedMemorySettings.of(SystemObjects.uniqueKey("unlock"), 64));
		assertThatIllegalStateException().isThrownBy(memory::unlock).withMessageContaining(memory.key());
	}

	@Test
	void useAfterCloseIsRefusedNamingTheKey() {
		SharedMemory memory = this.factory.open(SharedMemorySettings.of(SystemObjects.uniqueKey("closed"), 64));
		memory.close();
		assertThat(memory.isAttached()).isFalse();
		assertThatExceptionOfType(SharedMemoryException.class).isThrownBy(() -> memory.read(0, 1))
			.withMessageContaining(memory.key());
		assertThatExceptionOfType(SharedMemoryException.class).isThrownBy(memory::lock);
		memory.close();
	}

	@Test
	void closingAHandleWhileItWaitsForQtsPosixLockFailsThatWaitAndKeepsTheProcessAlive() {
		String key = SystemObjects.uniqueKey("closewait");
		SharedMemory holder = this.factory.open(SharedMemorySettings.of(key, 64).withBackend(Backend.QT_POSIX));
		SharedMemory waiter = this.factory.open(SharedMemorySettings.attach(key).withBackend(Backend.QT_POSIX));
		holder.lock();
		CompletableFuture<Void> waiting = CompletableFuture.runAsync(waiter::lock);
		await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !waiting.isDone());
		waiter.close();
		await().atMost(Duration.ofSeconds(5)).until(waiting::isDone);
		assertThatExceptionOfType(CompletionException.class).isThrownBy(waiting::join)
			.withCauseInstanceOf(SharedMemoryException.class);
		holder.unlock();
		holder.withLock(() -> holder.write(0, new byte[] { 1 }));
	}

}
