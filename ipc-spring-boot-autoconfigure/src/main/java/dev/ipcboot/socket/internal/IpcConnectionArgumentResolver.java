package dev.ipcboot.socket.internal;

import org.springframework.core.MethodParameter;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHandlingException;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;

import dev.ipcboot.socket.IpcConnection;

/**
 * Gives a server's listener the {@link IpcConnection} its message came from.
 */
final class IpcConnectionArgumentResolver implements HandlerMethodArgumentResolver {

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return IpcConnection.class.isAssignableFrom(parameter.getParameterType());
	}

	@Override
	public Object resolveArgument(MethodParameter parameter, Message<?> message) {
		Object connection = message.getHeaders().get(ServerConnection.CONNECTION_HEADER);
		if (connection == null) {
			throw new MessageHandlingException(message,
					"Message has no connection: an IpcConnection parameter is only for socket server listeners");
		}
		return connection;
	}

}
