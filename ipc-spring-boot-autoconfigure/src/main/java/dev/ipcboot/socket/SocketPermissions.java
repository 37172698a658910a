package dev.ipcboot.socket;

import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Who may connect to a local server's socket file, like Qt's
 * {@code QLocalServer::SocketOption}. Connecting needs write permission on the file.
 */
public enum SocketPermissions {

	/** Only the owner ({@code 0600}). */
	USER("rw-------"),

	/** The owner and its group ({@code 0660}). */
	GROUP("rw-rw----"),

	/** The owner and everyone outside its group ({@code 0606}). */
	OTHER("rw----rw-"),

	/** Everyone ({@code 0666}). */
	WORLD("rw-rw-rw-");

	private final Set<PosixFilePermission> permissions;

	SocketPermissions(String symbolic) {
		this.permissions = Set.copyOf(PosixFilePermissions.fromString(symbolic));
	}

	/**
	 * The file mode as POSIX permissions.
	 * @return an immutable set
	 */
	public Set<PosixFilePermission> posix() {
		return this.permissions;
	}

}
