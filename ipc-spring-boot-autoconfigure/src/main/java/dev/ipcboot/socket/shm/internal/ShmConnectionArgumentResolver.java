package dev.ipcboot.socket.shm.internal;

import org.springframework.core.MethodParameter;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHandlingException;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;

import dev.ipcboot.socket.IpcConnection;

/**
 * Gives a shared-memory server's listener the {@link IpcConnection} its message came
 * from, as the socket servers do.
 */
final class ShmConnectionArgumentResolver implements HandlerMethodArgumentResolver {

	static final String CONNECTION_HEADER = "ipc_connection";

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return IpcConnection.class.isAssignableFrom(parameter.getParameterType());
	}

	@Override
	public Object resolveArgument(MethodParameter parameter, Message<?> message) {
		Object connection = message.getHeaders().get(CONNECTION_HEADER);
		if (connection == null) {
			throw new MessageHandlingException(message,
					"Message has no connection: an IpcConnection parameter is only for server listeners");
		}
		return connection;
	}

}
