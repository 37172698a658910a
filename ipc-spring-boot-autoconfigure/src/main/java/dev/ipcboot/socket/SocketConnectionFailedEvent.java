package dev.ipcboot.socket;

import org.jspecify.annotations.Nullable;

/**
 * A connection to a socket server was closed because of an error: bad input (a frame over
 * {@code max-message-size}, a corrupt length header, a peer gone mid-frame), a listener
 * that failed, an idle timeout, or a peer refused on accept ({@code allowed-uids},
 * {@code max-connections}). The server keeps serving its other connections.
 */
public class SocketConnectionFailedEvent extends SocketConnectionEvent {

	private final String reason;

	private final @Nullable Throwable cause;

	/**
	 * Create an event for a server of any transport.
	 * @param server the server
	 * @param connection the connection
	 * @param peer a description of the peer
	 * @param reason why the connection was closed, for people
	 * @param cause the error, if there was one
	 */
	public SocketConnectionFailedEvent(IpcServer server, IpcConnection connection, String peer, String reason,
			@Nullable Throwable cause) {
		super(server, connection, peer);
		this.reason = reason;
		this.cause = cause;
	}

	/**
	 * Why the connection was closed.
	 * @return the reason, for people
	 */
	public String reason() {
		return this.reason;
	}

	/**
	 * The error that closed the connection.
	 * @return the error, or {@code null} when the connection was refused on accept
	 */
	public @Nullable Throwable cause() {
		return this.cause;
	}

	@Override
	public String toString() {
		return "SocketConnectionFailedEvent[" + resourceName() + ", " + peer() + ": " + this.reason + "]";
	}

}
