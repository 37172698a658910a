package dev.ipcboot.socket.shm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * Everything a {@code ShmServer} (in {@code internal}) needs, validated by the
 * auto-configuration.
 *
 * @param name name of the server, which is also its channel name
 * @param path the Unix-domain socket where clients meet the server and receive their
 * memory
 * @param ringCapacity bytes of each of a connection's two rings (a power of two)
 * @param spin how many times a waiting side looks at its ring before it sleeps; 0 sleeps
 * at once
 * @param maxMessageSize largest message in bytes, in either direction
 * @param maxConnections most connections open at once; more are closed on accept
 * @param allowedUids uids admitted; empty for any the socket file's mode lets in
 * @param writeTimeout how long a sender waits for a peer that takes nothing
 */
public record ShmServerSettings(String name, Path path, int ringCapacity, int spin, int maxMessageSize,
		int maxConnections, Set<Integer> allowedUids, Duration writeTimeout) {

	/**
	 * The property that defines this server, for messages.
	 * @return {@code ipc.servers.<name>}
	 */
	public String property() {
		return "ipc.servers." + this.name;
	}

}
