package dev.ipcboot.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.util.unit.DataSize;

import dev.ipcboot.socket.SocketOptions;

/**
 * The TCP socket options an {@code ipc.servers} and an {@code ipc.clients} entry share
 * (docs/sockets.md, "Socket options"); the backlog is a server's only.
 */
abstract class TcpOptionProperties {

	/**
	 * Whether TCP connections (a server's accepted ones, a client's own) send keep-alive
	 * probes (SO_KEEPALIVE), so a peer that vanished without closing is noticed.
	 */
	private boolean keepAlive;

	/**
	 * Whether TCP connections send small writes at once (TCP_NODELAY, Nagle's algorithm
	 * off).
	 */
	private boolean tcpNoDelay = true;

	/**
	 * Receive buffer size (SO_RCVBUF): of a server's listening socket and its connections
	 * (UDP: of the socket datagrams wait in), of a client's TCP connections; unset leaves
	 * the operating system's default (and its auto-tuning).
	 */
	private @Nullable DataSize receiveBufferSize;

	/**
	 * Send buffer size (SO_SNDBUF): of a server's accepted connections (UDP: of a
	 * multicast server's socket), of a client's TCP connections or UDP socket; unset
	 * leaves the operating system's default.
	 */
	private @Nullable DataSize sendBufferSize;

	public boolean isKeepAlive() {
		return this.keepAlive;
	}

	public void setKeepAlive(boolean keepAlive) {
		this.keepAlive = keepAlive;
	}

	public boolean isTcpNoDelay() {
		return this.tcpNoDelay;
	}

	public void setTcpNoDelay(boolean tcpNoDelay) {
		this.tcpNoDelay = tcpNoDelay;
	}

	public @Nullable DataSize getReceiveBufferSize() {
		return this.receiveBufferSize;
	}

	public void setReceiveBufferSize(@Nullable DataSize receiveBufferSize) {
		this.receiveBufferSize = receiveBufferSize;
	}

	public @Nullable DataSize getSendBufferSize() {
		return this.sendBufferSize;
	}

	public void setSendBufferSize(@Nullable DataSize sendBufferSize) {
		this.sendBufferSize = sendBufferSize;
	}

	/**
	 * The socket options these properties give, checked.
	 * @param property the entry's property prefix, {@code ipc.servers.<name>}, for errors
	 * @param backlog the listen backlog (a client's is unused)
	 * @return the options
	 */
	SocketOptions socketOptions(String property, int backlog) {
		return new SocketOptions(this.keepAlive, this.tcpNoDelay,
				SocketServerSettingsFactory.bufferSize(property + ".receive-buffer-size", this.receiveBufferSize),
				SocketServerSettingsFactory.bufferSize(property + ".send-buffer-size", this.sendBufferSize), backlog);
	}

}
