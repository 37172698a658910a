package dev.ipcboot.socket.udp;

import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Everything a UDP client ({@code transport: udp} under {@code ipc.clients}) needs,
 * validated by the auto-configuration.
 *
 * @param name name of the client
 * @param destination the server's address and port, or the multicast group's
 * @param multicast whether the destination is a multicast group
 * @param networkInterface the interface multicast datagrams leave on, or {@code null} for
 * the routing table's choice
 * @param timeToLive time-to-live of multicast datagrams
 * @param loopback whether members on this host receive the multicast datagrams
 * @param maxMessageSize largest datagram in bytes, in either direction
 * @param requestTimeout how long a request waits for its reply datagram
 * @param sendBufferSize SO_SNDBUF in bytes, 0 for the operating system's default
 */
public record UdpClientSettings(String name, InetSocketAddress destination, boolean multicast,
		@Nullable NetworkInterface networkInterface, int timeToLive, boolean loopback, int maxMessageSize,
		Duration requestTimeout, int sendBufferSize) {

	/**
	 * The property that defines this client, for messages.
	 * @return {@code ipc.clients.<name>}
	 */
	public String property() {
		return "ipc.clients." + this.name;
	}

}
