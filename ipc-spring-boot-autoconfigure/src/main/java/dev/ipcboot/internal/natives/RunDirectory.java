package dev.ipcboot.internal.natives;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The private directory where each running instance of the application records what it
 * created ({@link Leftovers}): {@code $XDG_RUNTIME_DIR/ipcboot} when that is set, else
 * {@code /tmp/ipcboot-<uid>}, or the system property {@value #PROPERTY}. Created with
 * mode {@code 0700}; one that exists already is used only if it is a real directory (not
 * a symbolic link) owned by this uid with no access for group or others, since whoever
 * can write in it could make the application remove objects it never created.
 */
final class RunDirectory {

	/** System property naming the directory (tests, containers with another layout). */
	static final String PROPERTY = "ipcboot.run-directory";

	private RunDirectory() {
	}

	static Path location() {
		String configured = System.getProperty(PROPERTY);
		if (configured != null && !configured.isBlank()) {
			return Path.of(configured);
		}
		String runtime = System.getenv("XDG_RUNTIME_DIR");
		if (runtime != null && runtime.startsWith("/") && Files.isDirectory(Path.of(runtime))) {
			return Path.of(runtime, "ipcboot");
		}
		return Path.of("/tmp", "ipcboot-" + Ownership.currentUid());
	}

	/**
	 * Create the directory or check the one that exists.
	 * @return why it cannot be trusted, or {@code null} if it can
	 */
	static @Nullable String prepare(Path directory) {
		try {
			Files.createDirectory(directory,
					PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
		}
		catch (FileAlreadyExistsException ex) {
			// checked below, without following a link
		}
		catch (IOException ex) {
			return "it cannot be created (" + ex + ")";
		}
		return untrusted(directory);
	}

	/**
	 * Why a directory or file in the run directory cannot be trusted.
	 * @return the reason, or {@code null} if it is this uid's, not a link and private
	 */
	static @Nullable String untrusted(Path path) {
		Map<String, Object> attributes;
		try {
			attributes = Files.readAttributes(path, "unix:uid,mode,isSymbolicLink", LinkOption.NOFOLLOW_LINKS);
		}
		catch (IOException ex) {
			return "it cannot be read (" + ex + ")";
		}
		int uid = (Integer) attributes.get("uid");
		int mode = (Integer) attributes.get("mode");
		if ((Boolean) attributes.get("isSymbolicLink")) {
			return "it is a symbolic link";
		}
		if (uid != Ownership.currentUid()) {
			return "it belongs to uid " + uid + ", not to this application's uid " + Ownership.currentUid();
		}
		// the directory keeps everyone else out; a record in it need only be unwritable
		boolean directory = (mode & 0170000) == 0040000;
		if ((mode & (directory ? 077 : 022)) != 0) {
			return "its mode " + Ownership.octal(mode & 0777) + " lets other users "
					+ (directory ? "in (0700 expected)" : "write it (0600 expected)");
		}
		return null;
	}

}
