package dev.ipcboot.semaphore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.ipcboot.semaphore.SemaphoreSettings.Backend;
import dev.ipcboot.semaphore.SemaphoreSettings.Mode;
import dev.ipcboot.semaphore.internal.QtKeyFiles;
import dev.ipcboot.testsupport.shm.Squatter;
import dev.ipcboot.testsupport.shm.SystemObjects;
import dev.ipcboot.internal.natives.IpcNatives;

import static dev.ipcboot.testsupport.shm.Squatter.NOBODY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Another local user ({@code nobody}) creates the semaphore or its key file first, with
 * mode 0666, to read its value, hold it or starve it: opening it must be refused, naming
 * the object, its owner and the fix, and the squatter's object must be left alone. Runs
 * as root (to become {@code nobody}).
 */
@Tag("hostile")
class SemaphoreSquattingTests {

	private final SystemSemaphoreFactory factory = new SystemSemaphoreFactory();

	private final Squatter squatter = new Squatter();

	private final String key = SystemObjects.uniqueKey("squat");

	@BeforeEach
	void requireRoot() {
		Squatter.requireRoot();
	}

	@AfterEach
	void closeAndRemove() throws Exception {
		try {
			this.factory.close();
		}
		finally {
			this.squatter.close();
			Files.deleteIfExists(keyFile(Backend.SYSTEM_V));
			Files.deleteIfExists(keyFile(Backend.QT));
		}
	}

	private Path keyFile(Backend backend) {
		return (backend == Backend.QT) ? QtKeyFiles.qtKeyFile(QtKeyFiles.QT_SYSTEM_SEMAPHORE_PREFIX, this.key)
				: QtKeyFiles.tempDirectory().resolve("ipcboot_sem_" + this.key);
	}

	private SemaphoreSettings settings(Backend backend, int permissions) {
		return new SemaphoreSettings(this.key, 1, Mode.OPEN, permissions, false, backend);
	}

	@Test
	void posixSemaphoreCreatedByNobodyWithMode0666IsRefused() {
		this.squatter.posixSemaphore(NOBODY, this.key, 0666);
		assertThatExceptionOfType(SystemSemaphoreException.class)
			.isThrownBy(() -> this.factory.open(settings(Backend.POSIX, 0600)))
			.withMessageContaining("Semaphore '" + this.key + "' (/dev/shm/sem." + this.key + ")")
			.withMessageContaining("belongs to uid " + NOBODY + " (mode 0666)")
			.withMessageContaining("rm /dev/shm/sem." + this.key)
			.withMessageContaining("allowed-owners");
		assertThat(SystemObjects.devShm("sem." + this.key)).as("the squatter's semaphore is left alone").hasSize(1);
		assertThat(this.factory.resources()).isEmpty();
	}

	@ParameterizedTest
	@EnumSource(value = Backend.class, names = { "SYSTEM_V", "QT" })
	void systemVSemaphoreCreatedByNobodyWithMode0666IsRefused(Backend backend) {
		Path keyFile = keyFile(backend);
		char projectId = (backend == Backend.QT) ? 'Q' : 'S';
		this.squatter.file(0, keyFile, 0640);
		int id = this.squatter.systemVSemaphore(NOBODY, keyFile, projectId, 0666);
		assertThatExceptionOfType(SystemSemaphoreException.class)
			.isThrownBy(() -> this.factory.open(settings(backend, 0600)))
			.withMessageContaining("Semaphore '" + this.key + "' (System V semaphore " + id)
			.withMessageContaining("belongs to uid " + NOBODY + " (mode 0666)")
			.withMessageContaining("ipcrm -s " + id);
		assertThat(SystemObjects.ipcs("-s", IpcNatives.ftok(keyFile, projectId))).hasSize(1);
	}

	@Test
	void createModeRefusesASemaphoreOfNobodyInsteadOfResettingIt() {
		Path keyFile = keyFile(Backend.SYSTEM_V);
		this.squatter.file(0, keyFile, 0640);
		this.squatter.systemVSemaphore(NOBODY, keyFile, 'S', 0666);
		assertThatExceptionOfType(SystemSemaphoreException.class)
			.isThrownBy(() -> this.factory.open(settings(Backend.SYSTEM_V, 0600).withMode(Mode.CREATE)))
			.withMessageContaining("belongs to uid " + NOBODY);
	}

	@Test
	void keyFileCreatedByNobodyIsRefused() {
		Path keyFile = keyFile(Backend.SYSTEM_V);
		this.squatter.file(NOBODY, keyFile, 0666);
		assertThatExceptionOfType(SystemSemaphoreException.class)
			.isThrownBy(() -> this.factory.open(settings(Backend.SYSTEM_V, 0600)))
			.withMessageContaining("The key file of semaphore '" + this.key + "' (" + keyFile + ")")
			.withMessageContaining("belongs to uid " + NOBODY);
		assertThat(keyFile).exists();
	}

	@Test
	void ownSemaphoreWithAModeLooserThanConfiguredIsRefused() {
		this.squatter.posixSemaphore(0, this.key, 0666);
		assertThatExceptionOfType(SystemSemaphoreException.class)
			.isThrownBy(() -> this.factory.open(settings(Backend.POSIX, 0600)))
			.withMessageContaining("already exists with mode 0666, looser than the configured permissions 0600");
	}

	@Test
	void posixSemaphoreOfAnAllowedOwnerIsOpened() {
		this.squatter.posixSemaphore(NOBODY, this.key, 0666);
		SystemSemaphore semaphore = this.factory.open(settings(Backend.POSIX, 0666).withAllowedOwners(Set.of(NOBODY)));
		assertThat(semaphore.tryAcquire(Duration.ZERO)).as("the squatter's unit").isTrue();
		semaphore.release();
		semaphore.close();
		assertThat(SystemObjects.devShm("sem." + this.key)).as("not ours to remove").hasSize(1);
	}

	@Test
	void systemVSemaphoreOfAnAllowedOwnerIsOpened() {
		Path keyFile = keyFile(Backend.SYSTEM_V);
		this.squatter.file(NOBODY, keyFile, 0644);
		this.squatter.systemVSemaphore(NOBODY, keyFile, 'S', 0666);
		SystemSemaphore semaphore = this.factory
			.open(settings(Backend.SYSTEM_V, 0666).withAllowedOwners(Set.of(NOBODY)));
		assertThat(semaphore.tryAcquire(Duration.ZERO)).as("the squatter's unit").isTrue();
		semaphore.release();
	}

	@Test
	void keyNamingADirectoryIsRefusedAsAName() {
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> SemaphoreSettings.of("..", 1))
			.withMessageContaining("'..'")
			.withMessageContaining("names a directory");
	}

}
