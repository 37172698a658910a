package dev.ipcboot.socket;

/**
 * Socket options of a server's listening socket and its connections, applied as Netty
 * channel options when it binds.
 *
 * @param keepAlive {@code SO_KEEPALIVE} on accepted TCP connections
 * @param tcpNoDelay {@code TCP_NODELAY} on accepted TCP connections (Nagle's algorithm
 * off)
 * @param receiveBufferSize {@code SO_RCVBUF} in bytes; {@code 0} leaves the operating
 * system's default
 * @param sendBufferSize {@code SO_SNDBUF} in bytes of accepted connections; {@code 0}
 * leaves the operating system's default
 * @param backlog the listen backlog (connections the kernel queues before they are
 * accepted); ignored for a socket adopted from systemd, whose backlog systemd set
 */
public record SocketOptions(boolean keepAlive, boolean tcpNoDelay, int receiveBufferSize, int sendBufferSize,
		int backlog) {

	/** The listen backlog when none is configured. */
	public static final int DEFAULT_BACKLOG = 128;

	/** No keep-alive, Nagle off, the operating system's buffer sizes, backlog 128. */
	public static final SocketOptions DEFAULTS = new SocketOptions(false, true, 0, 0, DEFAULT_BACKLOG);

}
