package dev.ipcboot.autoconfigure;

/**
 * Which kind of native key a Qt program uses for its QSharedMemory or QSystemSemaphore
 * (Qt's {@code QNativeIpcKey::Type}), for entries with {@code qt-compatible: true}.
 */
public enum QtKeyType {

	/**
	 * System V with Qt's key files: Qt 5, Qt 6 before 6.6, and the string constructors
	 * and {@code legacyNativeKey(key)} of later Qt 6 ({@code systemv:/tmp/qipc_...}).
	 */
	SYSTEM_V,

	/**
	 * POSIX, the default of Qt 6.6 and later: {@code platformSafeKey(key)}, whose native
	 * key is {@code posix:/<key>} ({@code /dev/shm/<key>}, lock {@code sem.<key>}).
	 */
	POSIX

}
