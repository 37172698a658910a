package dev.ipcboot.socket.shm;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything a {@code ShmIpcClient} (in {@code internal}) needs, validated by the
 * auto-configuration.
 *
 * @param name name of the client
 * @param path the server's Unix-domain socket
 * @param spin how many times a waiting request looks at its ring before it sleeps
 * @param connectTimeout how long connecting and receiving the memory may take
 * @param requestTimeout how long a request waits for a free connection, for room and for
 * its reply
 * @param poolSize connections open at once, which is requests in flight at once
 * @param subscribe whether the client keeps a connection open whose pushes go to
 * {@code @IpcListener("<name>")}
 * @param reconnectDelay first wait before the subscription connects again; doubles
 * @param reconnectMaxDelay longest wait between two connection attempts
 */
public record ShmClientSettings(String name, Path path, int spin, Duration connectTimeout, Duration requestTimeout,
		int poolSize, boolean subscribe, Duration reconnectDelay, Duration reconnectMaxDelay) {

	/**
	 * Settings of a client that does not subscribe.
	 * @param name name of the client
	 * @param path the server's Unix-domain socket
	 * @param spin looks at the ring before sleeping
	 * @param connectTimeout how long connecting may take
	 * @param requestTimeout how long a request may take
	 * @param poolSize connections open at once
	 */
	public ShmClientSettings(String name, Path path, int spin, Duration connectTimeout, Duration requestTimeout,
			int poolSize) {
		this(name, path, spin, connectTimeout, requestTimeout, poolSize, false, Duration.ofMillis(100),
				Duration.ofSeconds(5));
	}

	/**
	 * The property that defines this client, for messages.
	 * @return {@code ipc.clients.<name>}
	 */
	public String property() {
		return "ipc.clients." + this.name;
	}

}
