package dev.ipcboot.semaphore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.ipcboot.semaphore.SemaphoreSettings.Backend;
import dev.ipcboot.semaphore.SemaphoreSettings.Mode;
import dev.ipcboot.shm.SharedMemoryException;
import dev.ipcboot.shm.SharedMemoryFactory;
import dev.ipcboot.shm.SharedMemorySettings;
import dev.ipcboot.shm.SharedMemorySettings.Access;
import dev.ipcboot.testsupport.shm.SystemObjects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * An empty file, ours, where a POSIX semaphore should be ({@code /dev/shm/sem.<key>}: one
 * truncated by a careless script, or an unrelated file under that name). glibc's
 * {@code sem_open} maps it without looking at its size and the first {@code sem_wait}
 * kills the whole JVM with {@code SIGBUS}; opening is refused instead, naming the file
 * and the fix, and the file is left alone. Without the check this test class takes its
 * JVM down.
 */
class EmptySemaphoreFileTests {

	private final String key = SystemObjects.uniqueKey("empty-sem");

	private final Path file = Path.of("/dev/shm", "sem." + this.key);

	private final SystemSemaphoreFactory semaphores = new SystemSemaphoreFactory();

	private final SharedMemoryFactory sharedMemory = new SharedMemoryFactory((event) -> {
	});

	@BeforeEach
	void plantAnEmptyFile() throws Exception {
		Files.createFile(this.file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
	}

	@AfterEach
	void remove() throws Exception {
		try {
			this.semaphores.close();
			this.sharedMemory.close();
		}
		finally {
			Files.deleteIfExists(this.file);
		}
	}

	@Test
	void posixSemaphoreWhoseFileIsEmptyIsRefusedInsteadOfCrashingTheJvm() {
		assertThatExceptionOfType(SystemSemaphoreException.class)
			.isThrownBy(() -> this.semaphores
				.open(new SemaphoreSettings(this.key, 1, Mode.OPEN, 0600, false, Backend.POSIX))
				.tryAcquire(java.time.Duration.ZERO))
			.withMessageContaining("semaphore '" + this.key + "': " + this.file)
			.withMessageContaining(this.file + " is not a POSIX semaphore: it has 0 bytes")
			.withMessageContaining("rm " + this.file);
		assertThat(this.file).as("the file is left alone").exists().isEmptyFile();
		assertThat(this.semaphores.resources()).isEmpty();
	}

	@Test
	void qtSixSharedMemoryWhoseLockFileIsEmptyIsRefusedInsteadOfCrashingTheJvm() {
		assertThatExceptionOfType(SharedMemoryException.class)
			.isThrownBy(() -> this.sharedMemory
				.open(new SharedMemorySettings(this.key, 4096, SharedMemorySettings.Mode.CREATE_OR_ATTACH,
						Access.READ_WRITE, 0600, false, SharedMemorySettings.Backend.QT_POSIX))
				.lock())
			.withMessageContaining("'" + this.key + "'")
			.withMessageContaining(this.file + " is not a POSIX semaphore: it has 0 bytes");
		assertThat(this.file).as("the file is left alone").exists().isEmptyFile();
		assertThat(SystemObjects.devShm(this.key)).as("no segment created beside it")
			.containsExactly("sem." + this.key);
	}

}
