package dev.ipcboot.socket.shm.internal;

import java.time.Duration;
import java.util.List;

import dev.ipcboot.socket.internal.ChannelServers;

/**
 * Every configured {@link ShmServer}: channels for {@code @IpcListener}, started together
 * after the listeners are attached and stopped together when the context closes; a thread
 * named {@code ipc-shm-keepalive} keeps the JVM alive while they run.
 */
public class ShmServers extends ChannelServers<ShmServer> {

	/**
	 * Create the lifecycle for some servers.
	 * @param servers the servers, started in this order
	 * @param shutdownTimeout how long stopping may take in all
	 */
	public ShmServers(List<ShmServer> servers, Duration shutdownTimeout) {
		super(servers, shutdownTimeout, "ipc-shm-keepalive");
	}

}
