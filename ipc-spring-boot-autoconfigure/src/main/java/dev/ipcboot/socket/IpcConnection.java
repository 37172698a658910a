package dev.ipcboot.socket;

import java.security.cert.X509Certificate;

import org.jspecify.annotations.Nullable;

/**
 * One open connection of a socket server, as Qt's {@code QLocalSocket} is: a stream both
 * ways. A listener may declare it as a parameter to push messages to its peer at any
 * time, and {@link IpcServer#connections()} lists the open ones. Thread-safe.
 */
public interface IpcConnection {

	/**
	 * The connection's id.
	 * @return the id, the same as the message header
	 * {@link dev.ipcboot.socket.SocketHeaders#CONNECTION_ID}
	 */
	String id();

	/**
	 * The server the connection belongs to.
	 * @return the server's name, which is its channel name
	 */
	String channel();

	/**
	 * Whether the connection is open.
	 * @return {@code false} once either side closed it
	 */
	boolean isOpen();

	/**
	 * Send a message to the peer, framed and converted as a reply is ({@code byte[]},
	 * {@code String} as UTF-8, any other object as JSON). Waits at most the server's
	 * {@code write-timeout} for room in the connection's bounded output queue.
	 * @param payload the message
	 * @throws IpcConnectionClosedException if the connection is closed, or was closed
	 * because its peer read nothing for {@code write-timeout}
	 * @throws IllegalArgumentException if the message is larger than
	 * {@code max-message-size}
	 */
	void send(Object payload);

	/**
	 * Close the connection; the peer sees the end of the stream.
	 */
	void close();

	/**
	 * The certificate chain the peer presented in the TLS handshake, its own certificate
	 * first (a TCP server with {@code client-auth: want} or {@code need}).
	 * @return the chain, or {@code null} when the peer presented none
	 */
	default X509Certificate @Nullable [] peerCertificates() {
		return null;
	}

}
