package dev.ipcboot.socket;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.integration.ip.tcp.connection.TcpConnectionCloseEvent;
import org.springframework.integration.ip.tcp.connection.TcpConnectionExceptionEvent;
import org.springframework.integration.ip.tcp.connection.TcpConnectionOpenEvent;
import org.springframework.integration.ip.tcp.serializer.SoftEndOfStreamException;

/**
 * The event publisher of a server's connection factory: turns Spring Integration's
 * connection events into the starter's {@link SocketConnectionEvent}s. A read error is a
 * {@link SocketConnectionFailedEvent} unless the peer simply closed between frames or we
 * closed the connection ourselves (a failed listener, a refusal, shutdown), which report
 * their own reason.
 */
final class ConnectionEventTranslator implements ApplicationEventPublisher {

	private final SocketServer server;

	ConnectionEventTranslator(SocketServer server) {
		this.server = server;
	}

	@Override
	public void publishEvent(Object event) {
		if (event instanceof TcpConnectionOpenEvent open && open.getSource() instanceof ServerConnection connection) {
			this.server.publish(new SocketConnectionOpenedEvent(this.server, connection.getConnectionId(),
					connection.describePeer()));
		}
		else if (event instanceof TcpConnectionCloseEvent close
				&& close.getSource() instanceof ServerConnection connection) {
			this.server.publish(new SocketConnectionClosedEvent(this.server, connection.getConnectionId(),
					connection.describePeer()));
		}
		else if (event instanceof TcpConnectionExceptionEvent failure
				&& failure.getSource() instanceof ServerConnection connection && !connection.isClosedByUs()) {
			Throwable cause = failure.getCause();
			if (cause instanceof UncheckedIOException unchecked) {
				cause = unchecked.getCause();
			}
			if (!(cause instanceof SoftEndOfStreamException)) {
				this.server.metrics().connectionFailed(reason(cause));
				this.server.connectionFailed(connection, describe(cause), cause);
			}
		}
	}

	/**
	 * The metrics tag of a read error. Frame errors are {@link IOException}s of the
	 * codec, told apart by their text because they have no type of their own.
	 */
	static String reason(Throwable cause) {
		if (cause instanceof SocketTimeoutException) {
			return "idle-timeout";
		}
		if (cause instanceof SocketException) {
			return "io-error";
		}
		String message = String.valueOf(cause.getMessage());
		if (message.contains("exceeds max")) {
			return "oversized-frame";
		}
		return (cause instanceof IOException) ? "corrupt-frame" : "io-error";
	}

	private String describe(Throwable cause) {
		if (cause instanceof SocketTimeoutException) {
			return "idle for longer than idle-timeout (" + this.server.settings().idleTimeout() + ")";
		}
		return cause.getClass().getSimpleName() + ": " + cause.getMessage();
	}

}
