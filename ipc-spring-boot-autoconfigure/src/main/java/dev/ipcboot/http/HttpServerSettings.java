package dev.ipcboot.http;

import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * How the embedded web server listens on a Unix-domain socket.
 *
 * @param path absolute path of the socket file
 * @param permissions mode of the socket file
 * @param allowedUids user ids allowed to connect; empty allows every peer the file mode
 * lets in
 */
public record HttpServerSettings(Path path, Set<PosixFilePermission> permissions, Set<Integer> allowedUids) {

	/**
	 * Copy the sets.
	 * @param path absolute path of the socket file
	 * @param permissions mode of the socket file
	 * @param allowedUids user ids allowed to connect
	 */
	public HttpServerSettings {
		permissions = Set.copyOf(permissions);
		allowedUids = Set.copyOf(allowedUids);
	}

}
