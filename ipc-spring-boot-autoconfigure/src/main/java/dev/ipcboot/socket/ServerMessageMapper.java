package dev.ipcboot.socket;

import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.integration.ip.tcp.connection.TcpConnection;
import org.springframework.integration.ip.tcp.connection.TcpMessageMapper;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.GenericMessage;

/**
 * Turns a frame into a message with the headers of §2 of the contract, computed once per
 * connection and shared by its messages (see {@link ConnectionHeaders}); Spring
 * Integration's own headers (host lookups, sequence numbers) are not needed on the hot
 * path.
 */
final class ServerMessageMapper extends TcpMessageMapper {

	@Override
	public @Nullable Message<?> toMessage(TcpConnection connection, @Nullable Map<String, Object> headers) {
		Object payload = connection.getPayload();
		return new GenericMessage<>(payload, ((ServerConnection) connection).headers());
	}

}
