package dev.ipcboot.listener;

import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;

/**
 * Handles an exception thrown by an {@link IpcListener} method (or raised while
 * converting its payload). Define one bean of this type to turn failures into replies.
 */
@FunctionalInterface
public interface IpcErrorHandler {

	/**
	 * Handle a failed invocation.
	 * @param request the message the listener was invoked with
	 * @param error the failure
	 * @return a reply to send instead (converted like a listener's return value), or
	 * {@code null} to send nothing and keep the connection open (an exception thrown here
	 * is treated as unhandled: it is logged with channel and peer and the connection is
	 * closed)
	 */
	@Nullable Object handle(Message<?> request, Throwable error);

}
