package dev.ipcboot.autoconfigure;

import org.jspecify.annotations.Nullable;

import dev.ipcboot.socket.udp.internal.UdpIpcClient;
import dev.ipcboot.socket.udp.internal.UdpServer;
import dev.ipcboot.socket.udp.internal.UdpServers;

/**
 * Factory methods of the beans of {@code transport: udp} entries, apart from the
 * registrars so that finding their methods loads no UDP class for other entries.
 */
final class UdpBeans {

	private UdpBeans() {
	}

	/**
	 * The server of a {@code transport: udp} entry.
	 * @param name the entry's name
	 * @param servers the UDP servers
	 * @return the server, {@code null} (no bean) when an application's own
	 * {@link UdpServers} does not run it
	 */
	static @Nullable UdpServer udpServer(String name, UdpServers servers) {
		return servers.get(name);
	}

	/**
	 * Create the client of a {@code transport: udp} entry.
	 * @param name the entry's name
	 * @param factory the UDP client factory
	 * @return the client
	 */
	static UdpIpcClient udpClient(String name, UdpTransportConfiguration.UdpClientFactory factory) {
		return factory.create(name);
	}

}
