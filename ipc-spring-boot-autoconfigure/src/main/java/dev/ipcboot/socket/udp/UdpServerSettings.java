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

	/**
	 * A builder holding these settings, to change some of them (what a
	 * {@code UdpServerCustomizer} bean receives).
	 * @return a builder; {@link Builder#build()} makes new settings
	 */
	public Builder toBuilder() {
		return new Builder(this);
	}

	/**
	 * Settings of a UDP server being changed ({@link UdpServerSettings#toBuilder()}). The
	 * name stays: it names the server's bean, channel and properties; so do the address,
	 * the group and the interface, which the properties place. Each value has a getter
	 * and a setter of the same name.
	 */
	public static final class Builder {

		private final UdpServerSettings settings;

		private int maxMessageSize;

		private int receiveBufferSize;

		private int sendBufferSize;

		private Builder(UdpServerSettings settings) {
			this.settings = settings;
			this.maxMessageSize = settings.maxMessageSize;
			this.receiveBufferSize = settings.receiveBufferSize;
			this.sendBufferSize = settings.sendBufferSize;
		}

		/**
		 * Name of the server, to pick the servers a customizer changes.
		 * @return the name
		 */
		public String name() {
			return this.settings.name;
		}

		/**
		 * The address and port the server binds (the group's for a multicast server).
		 * @return the address
		 */
		public InetSocketAddress bind() {
			return this.settings.bind;
		}

		/**
		 * The multicast group the server joins.
		 * @return the group, or {@code null} for a unicast server
		 */
		public @Nullable InetAddress group() {
			return this.settings.group;
		}

		/**
		 * Largest datagram in bytes.
		 * @return the size
		 */
		public int maxMessageSize() {
			return this.maxMessageSize;
		}

		/**
		 * Set the largest datagram in bytes, in either direction.
		 * @param maxMessageSize 1 to {@link #MAX_DATAGRAM}
		 * @return this builder
		 */
		public Builder maxMessageSize(int maxMessageSize) {
			this.maxMessageSize = maxMessageSize;
			return this;
		}

		/**
		 * SO_RCVBUF in bytes.
		 * @return the size, 0 for the operating system's default
		 */
		public int receiveBufferSize() {
			return this.receiveBufferSize;
		}

		/**
		 * Set SO_RCVBUF.
		 * @param receiveBufferSize bytes, 0 for the operating system's default
		 * @return this builder
		 */
		public Builder receiveBufferSize(int receiveBufferSize) {
			this.receiveBufferSize = receiveBufferSize;
			return this;
		}

		/**
		 * SO_SNDBUF in bytes of the socket replies leave from.
		 * @return the size, 0 for the operating system's default
		 */
		public int sendBufferSize() {
			return this.sendBufferSize;
		}

		/**
		 * Set SO_SNDBUF of the socket replies leave from.
		 * @param sendBufferSize bytes, 0 for the operating system's default
		 * @return this builder
		 */
		public Builder sendBufferSize(int sendBufferSize) {
			this.sendBufferSize = sendBufferSize;
			return this;
		}

		/**
		 * New settings from the values of this builder, checked as the properties are.
		 * @return the settings
		 * @throws IllegalArgumentException if {@code maxMessageSize} is not between 1 and
		 * {@link #MAX_DATAGRAM} or a buffer size is negative
		 */
		public UdpServerSettings build() {
			if (this.maxMessageSize <= 0 || this.maxMessageSize > MAX_DATAGRAM) {
				throw new IllegalArgumentException(
						"maxMessageSize must be between 1 and " + MAX_DATAGRAM + ", was " + this.maxMessageSize);
			}
			if (this.receiveBufferSize < 0 || this.sendBufferSize < 0) {
				throw new IllegalArgumentException("receiveBufferSize and sendBufferSize must not be negative, were "
						+ this.receiveBufferSize + " and " + this.sendBufferSize);
			}
			UdpServerSettings from = this.settings;
			return new UdpServerSettings(from.name, from.bind, from.group, from.networkInterface, this.maxMessageSize,
					this.receiveBufferSize, this.sendBufferSize);
		}

	}

}
