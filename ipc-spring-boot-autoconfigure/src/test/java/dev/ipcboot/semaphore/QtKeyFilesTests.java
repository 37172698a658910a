package dev.ipcboot.semaphore;

import org.junit.jupiter.api.Test;

import dev.ipcboot.semaphore.internal.QtKeyFiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Qt's key derivation, checked against names that Qt 5.15.8 itself produced on this
 * machine ({@code QSharedMemory("probeKey-1").nativeKey()} and a key with digits and
 * punctuation).
 */
class QtKeyFilesTests {

	@Test
	void sharedMemoryKeyFileIsPrefixLettersAndSha1AsQtNamesIt() {
		assertThat(QtKeyFiles.qtKeyFile(QtKeyFiles.QT_SHARED_MEMORY_PREFIX, "probeKey-1").getFileName())
			.hasToString("qipc_sharedmemory_probeKeyfecc60f22d8b4117dd13df8df10a2c954df62539");
	}

	@Test
	void digitsAndPunctuationAreDroppedFromTheReadablePart() {
		assertThat(QtKeyFiles.qtKeyFile(QtKeyFiles.QT_SHARED_MEMORY_PREFIX, "a1b-Z").getFileName())
			.hasToString("qipc_sharedmemory_abZ5c660ddccb0d5d250cde1e811364bd66051fa1d7");
		assertThat(QtKeyFiles.qtKeyFile(QtKeyFiles.QT_SYSTEM_SEMAPHORE_PREFIX, "jobs1").getFileName())
			.hasToString("qipc_systemsem_jobs81f0cd7ec793edee3a615abfb0a273d7e93d2420");
	}

}
