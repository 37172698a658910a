package dev.ipcboot.socket.udp;

import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.time.Duration;
import java.util.Objects;

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

	/**
	 * A builder holding these settings, to change some of them (what a
	 * {@code UdpClientCustomizer} bean receives).
	 * @return a builder; {@link Builder#build()} makes new settings
	 */
	public Builder toBuilder() {
		return new Builder(this);
	}

	/**
	 * Settings of a UDP client being changed ({@link UdpClientSettings#toBuilder()}). The
	 * name stays: it names the client's bean and properties; so do the destination and
	 * the interface, which the properties place. Each value has a getter and a setter of
	 * the same name.
	 */
	public static final class Builder {

		private final UdpClientSettings settings;

		private int timeToLive;

		private boolean loopback;

		private int maxMessageSize;

		private Duration requestTimeout;

		private int sendBufferSize;

		private Builder(UdpClientSettings settings) {
			this.settings = settings;
			this.timeToLive = settings.timeToLive;
			this.loopback = settings.loopback;
			this.maxMessageSize = settings.maxMessageSize;
			this.requestTimeout = settings.requestTimeout;
			this.sendBufferSize = settings.sendBufferSize;
		}

		/**
		 * Name of the client, to pick the clients a customizer changes.
		 * @return the name
		 */
		public String name() {
			return this.settings.name;
		}

		/**
		 * The server's address and port, or the multicast group's.
		 * @return the destination
		 */
		public InetSocketAddress destination() {
			return this.settings.destination;
		}

		/**
		 * Whether the destination is a multicast group.
		 * @return {@code true} for a multicast client
		 */
		public boolean multicast() {
			return this.settings.multicast;
		}

		/**
		 * Time-to-live of multicast datagrams.
		 * @return the time-to-live
		 */
		public int timeToLive() {
			return this.timeToLive;
		}

		/**
		 * Set the time-to-live of multicast datagrams.
		 * @param timeToLive 0 (this host only) to 255
		 * @return this builder
		 */
		public Builder timeToLive(int timeToLive) {
			this.timeToLive = timeToLive;
			return this;
		}

		/**
		 * Whether members on this host receive the multicast datagrams.
		 * @return whether they do
		 */
		public boolean loopback() {
			return this.loopback;
		}

		/**
		 * Set whether members on this host receive the multicast datagrams.
		 * @param loopback whether they do
		 * @return this builder
		 */
		public Builder loopback(boolean loopback) {
			this.loopback = loopback;
			return this;
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
		 * @param maxMessageSize 1 to {@link UdpServerSettings#MAX_DATAGRAM}
		 * @return this builder
		 */
		public Builder maxMessageSize(int maxMessageSize) {
			this.maxMessageSize = maxMessageSize;
			return this;
		}

		/**
		 * How long a request waits for its reply datagram.
		 * @return the timeout
		 */
		public Duration requestTimeout() {
			return this.requestTimeout;
		}

		/**
		 * Set how long a request waits for its reply datagram.
		 * @param requestTimeout a positive duration
		 * @return this builder
		 */
		public Builder requestTimeout(Duration requestTimeout) {
			this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
			return this;
		}

		/**
		 * SO_SNDBUF in bytes.
		 * @return the size, 0 for the operating system's default
		 */
		public int sendBufferSize() {
			return this.sendBufferSize;
		}

		/**
		 * Set SO_SNDBUF.
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
		 * {@link UdpServerSettings#MAX_DATAGRAM}, {@code timeToLive} not between 0 and
		 * 255, {@code requestTimeout} not positive or {@code sendBufferSize} negative
		 */
		public UdpClientSettings build() {
			if (this.maxMessageSize <= 0 || this.maxMessageSize > UdpServerSettings.MAX_DATAGRAM) {
				throw new IllegalArgumentException("maxMessageSize must be between 1 and "
						+ UdpServerSettings.MAX_DATAGRAM + ", was " + this.maxMessageSize);
			}
			if (this.timeToLive < 0 || this.timeToLive > 255) {
				throw new IllegalArgumentException("timeToLive must be between 0 and 255, was " + this.timeToLive);
			}
			if (this.requestTimeout.isNegative() || this.requestTimeout.isZero()) {
				throw new IllegalArgumentException("requestTimeout must be positive, was " + this.requestTimeout);
			}
			if (this.sendBufferSize < 0) {
				throw new IllegalArgumentException("sendBufferSize must not be negative, was " + this.sendBufferSize);
			}
			UdpClientSettings from = this.settings;
			return new UdpClientSettings(from.name, from.destination, from.multicast, from.networkInterface,
					this.timeToLive, this.loopback, this.maxMessageSize, this.requestTimeout, this.sendBufferSize);
		}

	}

}
