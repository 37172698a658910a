package dev.ipcboot.semaphore.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Key files the way Qt 5 and Qt 6 (before 6.6) name their QSystemSemaphore and
 * QSharedMemory objects: the file {@code <temp dir>/<prefix><ASCII letters of the
 * key><lowercase hex SHA-1 of the UTF-8 key>}, whose System V key is
 * {@code ftok(file, 'Q')}. Qt's rule, not a native binding (ADR 0015): it lives with
 * system semaphores, and shared memory uses it for its segment and its lock, since a
 * QSharedMemory is locked by a QSystemSemaphore of the same key. Not API: public only so
 * that the shared memory package can use it.
 */
public final class QtKeyFiles {

	/** Prefix of Qt's shared memory key files. */
	public static final String QT_SHARED_MEMORY_PREFIX = "qipc_sharedmemory_";

	/** Prefix of Qt's system semaphore key files (also the lock of a QSharedMemory). */
	public static final String QT_SYSTEM_SEMAPHORE_PREFIX = "qipc_systemsem_";

	private QtKeyFiles() {
	}

	/**
	 * The directory Qt's {@code QDir::tempPath()} returns: {@code $TMPDIR}, else
	 * {@code /tmp}.
	 * @return the directory for key files
	 */
	public static Path tempDirectory() {
		String tmp = System.getenv("TMPDIR");
		return Path.of((tmp != null && !tmp.isEmpty()) ? tmp : "/tmp");
	}

	/**
	 * The key file Qt derives from a key.
	 * @param prefix {@link #QT_SHARED_MEMORY_PREFIX} or
	 * {@link #QT_SYSTEM_SEMAPHORE_PREFIX}
	 * @param key the key as the Qt program passes it
	 * @return the key file path (Qt's {@code nativeKey()})
	 */
	public static Path qtKeyFile(String prefix, String key) {
		String letters = key.replaceAll("[^A-Za-z]", "");
		try {
			byte[] sha1 = MessageDigest.getInstance("SHA-1").digest(key.getBytes(StandardCharsets.UTF_8));
			return tempDirectory().resolve(prefix + letters + HexFormat.of().formatHex(sha1));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-1 is required by every Java runtime", ex);
		}
	}

	/**
	 * Create a key file with mode 0640 as Qt does, or find the one that exists.
	 * @param file the key file
	 * @return whether this call created it (and so should remove it)
	 * @throws UncheckedIOException if it can neither be created nor found
	 */
	public static boolean createKeyFile(Path file) {
		try {
			Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r-----")));
			Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
			return true;
		}
		catch (FileAlreadyExistsException ex) {
			return false;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not create the key file " + file, ex);
		}
	}

}
