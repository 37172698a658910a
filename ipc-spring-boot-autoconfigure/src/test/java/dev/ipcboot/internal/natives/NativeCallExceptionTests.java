package dev.ipcboot.internal.natives;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.ipcboot.internal.natives.NativeCallException.Condition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Real failing system calls arrive as the condition callers test, with the message they
 * had before conditions existed (call, key, the system's reason and number).
 */
class NativeCallExceptionTests {

	@TempDir
	Path temp;

	private final String name = "/ipcboot-natives-" + UUID.randomUUID();

	@Test
	void unlinkingAMissingSegmentIsNotFound() {
		assertThatExceptionOfType(NativeCallException.class).isThrownBy(() -> IpcNatives.shmUnlink(this.name))
			.satisfies((ex) -> {
				assertThat(ex.condition()).isEqualTo(Condition.NOT_FOUND);
				assertThat(ex.is(Condition.EXISTS, Condition.NOT_FOUND)).isTrue();
				assertThat(ex.call()).isEqualTo("shm_unlink");
				assertThat(ex.key()).isEqualTo(this.name);
			})
			.withMessage("shm_unlink(" + this.name + "): No such file or directory (errno 2)");
	}

	@Test
	void creatingAnExistingSegmentExclusivelyIsExists() {
		int fd = IpcNatives.shmOpen(this.name, true, false, 0600);
		try {
			assertThatExceptionOfType(NativeCallException.class)
				.isThrownBy(() -> IpcNatives.shmOpen(this.name, true, false, 0600))
				.satisfies((ex) -> assertThat(ex.condition()).isEqualTo(Condition.EXISTS))
				.withMessageEndingWith("File exists (errno 17)");
		}
		finally {
			IpcNatives.close(fd, this.name);
			IpcNatives.shmUnlink(this.name);
		}
	}

	@Test
	void aKeyFileThatDoesNotExistIsNotFound() {
		assertThatExceptionOfType(NativeCallException.class)
			.isThrownBy(() -> IpcNatives.ftok(this.temp.resolve("missing"), 'Q'))
			.satisfies((ex) -> assertThat(ex.condition()).isEqualTo(Condition.NOT_FOUND));
	}

	@Test
	void aSemaphoreValueAboveItsMaximumIsOutOfRangeAndARemovedOneIsInvalid() throws Exception {
		Path keyFile = Files.createFile(this.temp.resolve("key"));
		int id = IpcNatives.semGet(IpcNatives.ftok(keyFile, 'N'), true, 0600, "range");
		try {
			assertThatExceptionOfType(NativeCallException.class)
				.isThrownBy(() -> IpcNatives.semSetValue(id, 40000, "range"))
				.satisfies((ex) -> assertThat(ex.condition()).isEqualTo(Condition.OUT_OF_RANGE))
				.withMessage("semctl(SETVAL)(range): Numerical result out of range (errno 34)");
		}
		finally {
			IpcNatives.semRemove(id, "range");
		}
		assertThatExceptionOfType(NativeCallException.class).isThrownBy(() -> IpcNatives.semValue(id, "range"))
			.satisfies((ex) -> assertThat(ex.is(Condition.REMOVED, Condition.INVALID_ARGUMENT)).isTrue());
	}

	@Test
	void anErrorNoCallerTellsApartIsOtherAndKeepsTheSystemsReason() {
		NativeCallException ex = new NativeCallException("close", "fd 99", Errno.EBADF);
		assertThat(ex.condition()).isEqualTo(Condition.OTHER);
		assertThat(ex).hasMessage("close(fd 99): Bad file descriptor (errno 9)");
		// OTHER stands for many numbers: it names none of them, least of all "errno 0"
		assertThat(Condition.OTHER.reason()).isEqualTo("another system error");
	}

	@Test
	void eachConditionStandsForOneErrorNumber() {
		for (Condition condition : Condition.values()) {
			if (condition != Condition.OTHER) {
				assertThat(condition.reason()).as(condition.name()).doesNotStartWith("system error");
			}
		}
		assertThat(Condition.NOT_FOUND.reason()).isEqualTo("No such file or directory (errno 2)");
		assertThat(Condition.PERMISSION_DENIED.reason()).isEqualTo("Permission denied (errno 13)");
	}

}
