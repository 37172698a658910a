package dev.ipcboot.sample;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.messaging.Message;
import org.springframework.stereotype.Component;

import dev.ipcboot.listener.IpcErrorHandler;
import dev.ipcboot.listener.IpcHeaders;

/**
 * What the desk answers to a line on {@code orders} that is not an order (not JSON, or
 * not the shape of one): a JSON rejection on the same connection, which stays open, and
 * one INFO line without a stack trace. Failures on other channels keep the starter's
 * default: logged with channel and peer, and that connection closed.
 */
@Component
class OrderErrors implements IpcErrorHandler {

	private static final Log logger = LogFactory.getLog(OrderErrors.class);

	/** The reply to a line that is not an order. */
	record Rejection(String status, String error) {
	}

	@Override
	public Object handle(Message<?> request, Throwable error) {
		if (!"orders".equals(request.getHeaders().get(IpcHeaders.CHANNEL))) {
			throw (error instanceof RuntimeException runtime) ? runtime : new IllegalStateException(error);
		}
		String reason = rootCause(error).getMessage();
		String firstLine = (reason != null) ? reason.lines().findFirst().orElse("") : error.getClass().getSimpleName();
		logger.info("Rejected a line on 'orders' that is not an order: " + firstLine);
		return new Rejection("rejected: not an order; send {\"item\":\"tea\",\"quantity\":2}", firstLine);
	}

	private static Throwable rootCause(Throwable error) {
		Throwable cause = error;
		while (cause.getCause() != null && cause.getCause() != cause) {
			cause = cause.getCause();
		}
		return cause;
	}

}
