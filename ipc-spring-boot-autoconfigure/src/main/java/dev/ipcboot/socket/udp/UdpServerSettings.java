package dev.ipcboot.socket.udp;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;

import org.jspecify.annotations.Nullable;

/**
 * Everything a UDP server ({@code transport: udp} under {@code ipc.servers}) needs,
 * validated by the auto-configuration.
 *
 * @param name name of the server, which is also its channel name
 * @param bind the address and port to bind; for a multicast server the group's address
 * @param group the multicast group to join, or {@code null} for a unicast server
 * @param networkInterface the interface to join the group on, or {@code null} for the
 * routing table's choice
 * @param maxMessageSize largest datagram in bytes, in either direction
 * @param receiveBufferSize SO_RCVBUF in bytes, 0 for the operating system's default
 * @param sendBufferSize SO_SNDBUF in bytes of the socket replies leave from, 0 for the
 * operating system's default
 */
public record UdpServerSettings(String name, InetSocketAddress bind, @Nullable InetAddress group,
		@Nullable NetworkInterface networkInterface, int maxMessageSize, int receiveBufferSize, int sendBufferSize) {

	/** The largest payload of a UDP datagram over IPv4 (65535 - 20 - 8). */
	public static final int MAX_DATAGRAM = 65507;

	/**
	 * The property that defines this server, for messages.
	 * @return {@code ipc.servers.<name>}
	 */
	public String property() {
		return "ipc.servers." + this.name;
	}

}
