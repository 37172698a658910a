package dev.ipcboot.socket.udp.internal;

import java.time.Duration;
import java.util.List;

import dev.ipcboot.socket.internal.ChannelServers;

/**
 * Every configured {@link UdpServer}: channels for {@code @IpcListener}, started together
 * after the listeners are attached and stopped together when the context closes; a thread
 * named {@code ipc-udp-keepalive} keeps the JVM alive while they run.
 */
public class UdpServers extends ChannelServers<UdpServer> {

	/**
	 * Create the lifecycle for some servers.
	 * @param servers the servers, started in this order
	 * @param shutdownTimeout how long stopping may take in all
	 */
	public UdpServers(List<UdpServer> servers, Duration shutdownTimeout) {
		super(servers, shutdownTimeout, "ipc-udp-keepalive");
	}

}
