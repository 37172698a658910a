package dev.ipcboot.shm;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.ipcboot.shm.SharedMemorySettings.Access;
import dev.ipcboot.shm.SharedMemorySettings.Backend;
import dev.ipcboot.shm.SharedMemorySettings.Mode;
import dev.ipcboot.testsupport.shm.Squatter;
import dev.ipcboot.testsupport.shm.SystemObjects;
import dev.ipcboot.semaphore.internal.QtKeyFiles;
import dev.ipcboot.internal.natives.IpcNatives;

import static dev.ipcboot.testsupport.shm.Squatter.NOBODY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Another local user ({@code nobody}) creates the segment, its lock or its key file
 * first, with mode 0666, hoping the application adopts it: it must refuse, name the
 * object, its owner and the fix, leave the squatter's object alone and leave nothing of
 * its own behind. Runs as root (to become {@code nobody}).
 */
@Tag("hostile")
@ExtendWith(OutputCaptureExtension.class)
class SharedMemorySquattingTests {

	private final SharedMemoryFactory factory = new SharedMemoryFactory((event) -> {
	});

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
			Files.deleteIfExists(QtKeyFiles.tempDirectory().resolve("ipcboot_shm_" + this.key));
			Files.deleteIfExists(QtKeyFiles.qtKeyFile(QtKeyFiles.QT_SHARED_MEMORY_PREFIX, this.key));
			Files.deleteIfExists(QtKeyFiles.qtKeyFile(QtKeyFiles.QT_SYSTEM_SEMAPHORE_PREFIX, this.key));
		}
	}

	private SharedMemorySettings settings(Mode mode, Backend backend, int permissions) {
		return new SharedMemorySettings(this.key, (mode == Mode.ATTACH) ? 0 : 4096, mode, Access.READ_WRITE,
				permissions, false, backend);
	}

	@ParameterizedTest
	@EnumSource(value = Mode.class)
	void posixSegmentCreatedByNobodyWithMode0666IsRefusedInEveryMode(Mode mode) throws Exception {
		this.squatter.posixSegment(NOBODY, this.key, 0666);
		assertThatExceptionOfType(SharedMemoryException.class)
			.isThrownBy(() -> this.factory.open(settings(mode, Backend.POSIX, 0600)))
			.withMessageContaining("Shared memory '" + this.key + "' (/dev/shm/" + this.key + ")")
			.withMessageContaining("belongs to uid " + NOBODY + " (mode 0666)")
			.withMessageContaining("rm /dev/shm/" + this.key)
			.withMessageContaining("allowed-owners");
		assertThat(squattedBytes()).as("the squatter's segment is left as it was").isEqualTo("squatted");
	}

	@ParameterizedTest
	@EnumSource(value = Mode.class, names = { "ATTACH", "CREATE_OR_ATTACH" })
	void qtSixSegmentCreatedByNobodyIsRefusedAndTheLockWeCreatedIsRemoved(Mode mode) throws Exception {
		this.squatter.posixSegment(NOBODY, this.key, 0666);
		assertThatExceptionOfType(SharedMemoryException.class)
			.isThrownBy(() -> this.factory.open(settings(mode, Backend.QT_POSIX, 0600)))
			.withMessageContaining("belongs to uid " + NOBODY);
		assertThat(SystemObjects.devShm(this.key)).as("only the squatter's segment").containsExactly(this.key);
	}

	@Test
	void qtSixLockSemaphoreCreatedByNobodyIsRefused() {
		this.squatter.posixSemaphore(NOBODY, this.key, 0666);
		assertThatExceptionOfType(SharedMemoryException.class)
			.isThrownBy(() -> this.factory.open(settings(Mode.CREATE_OR_ATTACH, Backend.QT_POSIX, 0600)))
			.withMessageContaining("The lock of shared memory '" + this.key + "' (/dev/shm/sem." + this.key + ")")
			.withMessageContaining("belongs to uid " + NOBODY);
		assertThat(SystemObjects.devShm(this.key)).as("no segment created beside the squatter's lock")
			.containsExactly("sem." + this.key);
	}

	@ParameterizedTest
	@EnumSource(value = Backend.class, names = { "SYSTEM_V", "QT" })
	void systemVSegmentCreatedByNobodyWithMode0666IsRefused(Backend backend) {
		boolean qt = backend == Backend.QT;
		Path keyFile = qt ? QtKeyFiles.qtKeyFile(QtKeyFiles.QT_SHARED_MEMORY_PREFIX, this.key)
				: QtKeyFiles.tempDirectory().resolve("ipcboot_shm_" + this.key);
		this.squatter.file(0, keyFile, 0640);
		int id = this.squatter.systemVSegment(NOBODY, keyFile, qt ? 'Q' : 'M', 0666);
		assertThatExceptionOfType(SharedMemoryException.class)
			.isThrownBy(() -> this.factory.open(settings(Mode.CREATE_OR_ATTACH, backend, 0600)))
			.withMessageContaining("System V segment " + id)
			.withMessageContaining("belongs to uid " + NOBODY + " (mode 0666)")
			.withMessageContaining("ipcrm -m " + id);
		int systemVKey = IpcNatives.ftok(keyFile, qt ? 'Q' : 'M');
		assertThat(SystemObjects.ipcs("-m", systemVKey)).as("the squatter's segment is left alone").hasSize(1);
	}

	@Test
	void qtLockSemaphoreCreatedByNobodyIsRefused() {
		Path lockFile = QtKeyFiles.qtKeyFile(QtKeyFiles.QT_SYSTEM_SEMAPHORE_PREFIX, this.key);
		this.squatter.file(0, lockFile, 0640);
		int id = this.squatter.systemVSemaphore(NOBODY, lockFile, 'Q', 0666);
		assertThatExceptionOfType(SharedMemoryException.class)
			.isThrownBy(() -> this.factory.open(settings(Mode.CREATE_OR_ATTACH, Backend.QT, 0600)))
			.withMessageContaining("The lock of shared memory '" + this.key + "' (System V semaphore " + id)
			.withMessageContaining("belongs to uid " + NOBODY);
		Path keyFile = QtKeyFiles.qtKeyFile(QtKeyFiles.QT_SHARED_MEMORY_PREFIX, this.key);
		assertThat(keyFile).as("the segment we created for it is removed with its key file").doesNotExist();
	}

	@Test
	void keyFileCreatedByNobodyIsRefused() {
		Path keyFile = QtKeyFiles.tempDirectory().resolve("ipcboot_shm_" + this.key);
		this.squatter.file(NOBODY, keyFile, 0666);
		assertThatExceptionOfType(SharedMemoryException.class)
			.isThrownBy(() -> this.factory.open(settings(Mode.CREATE_OR_ATTACH, Backend.SYSTEM_V, 0600)))
			.withMessageContaining("The key file of shared memory '" + this.key + "' (" + keyFile + ")")
			.withMessageContaining("belongs to uid " + NOBODY);
		assertThat(keyFile).as("the squatter's file is left alone").exists();
	}

	@Test
	void ownSegmentWithAModeLooserThanConfiguredIsRefused() throws Exception {
		this.squatter.posixSegment(0, this.key, 0666);
		assertThatExceptionOfType(SharedMemoryException.class)
			.isThrownBy(() -> this.factory.open(settings(Mode.CREATE_OR_ATTACH, Backend.POSIX, 0600)))
			.withMessageContaining("already exists with mode 0666, looser than the configured permissions 0600")
			.withMessageContaining("configure permissions 0666");
		assertThat(squattedBytes()).isEqualTo("squatted");
	}

	@Test
	void ownSegmentWithAStricterModeThanConfiguredIsAttached() {
		this.squatter.posixSegment(0, this.key, 0600);
		SharedMemory memory = this.factory.open(settings(Mode.CREATE_OR_ATTACH, Backend.POSIX, 0660));
		assertThat(new String(memory.read(0, 8), StandardCharsets.UTF_8)).isEqualTo("squatted");
	}

	@ParameterizedTest
	@EnumSource(value = Backend.class, names = { "POSIX", "QT_POSIX" })
	void segmentOfAnAllowedOwnerIsAttached(Backend backend) {
		this.squatter.posixSegment(NOBODY, this.key, 0666);
		if (backend == Backend.QT_POSIX) {
			this.squatter.posixSemaphore(NOBODY, this.key, 0666);
		}
		SharedMemory memory = this.factory
			.open(settings(Mode.CREATE_OR_ATTACH, backend, 0666).withAllowedOwners(Set.of(NOBODY)));
		assertThat(new String(memory.read(0, 8), StandardCharsets.UTF_8)).isEqualTo("squatted");
		memory.lock();
		memory.unlock();
	}

	@Test
	void systemVSegmentOfAnAllowedOwnerIsAttached() {
		Path keyFile = QtKeyFiles.tempDirectory().resolve("ipcboot_shm_" + this.key);
		this.squatter.file(NOBODY, keyFile, 0644);
		this.squatter.systemVSegment(NOBODY, keyFile, 'M', 0666);
		SharedMemory memory = this.factory
			.open(settings(Mode.ATTACH, Backend.SYSTEM_V, 0666).withAllowedOwners(Set.of(NOBODY)));
		assertThat(memory.size()).isEqualTo(4096);
	}

	@Test
	void refusalsAreLoggedAtWarnOnceInTenSecondsPerObject(CapturedOutput output) {
		this.squatter.posixSegment(NOBODY, this.key, 0666);
		for (int i = 0; i < 3; i++) {
			assertThatExceptionOfType(SharedMemoryException.class)
				.isThrownBy(() -> this.factory.open(settings(Mode.ATTACH, Backend.POSIX, 0600)));
		}
		assertThat(output.getAll().lines().filter((line) -> line.contains("Refused: Shared memory '" + this.key)))
			.singleElement()
			.asString()
			.contains("WARN");
	}

	@Test
	void keyNamingADirectoryIsRefusedAsAName() {
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> SharedMemorySettings.of("..", 64))
			.withMessageContaining("'..'")
			.withMessageContaining("names a directory")
			.withMessageNotContaining("size");
	}

	private String squattedBytes() throws Exception {
		byte[] bytes = Files.readAllBytes(Path.of("/dev/shm", this.key));
		return new String(bytes, 0, 8, StandardCharsets.US_ASCII);
	}

}
