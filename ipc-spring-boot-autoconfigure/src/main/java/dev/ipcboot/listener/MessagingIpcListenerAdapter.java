package dev.ipcboot.listener;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.messaging.Message;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.handler.annotation.support.MethodArgumentNotValidException;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;
import org.springframework.messaging.handler.invocation.MethodArgumentResolutionException;
import org.springframework.validation.FieldError;

import dev.ipcboot.internal.IpcInvocation;
import dev.ipcboot.internal.IpcInvocationMetrics;

/**
 * Invokes one {@link IpcListener} method for the messages of one channel, through
 * spring-messaging's {@link InvocableHandlerMethod} (resolved once, at start-up, with
 * each parameter's resolver chosen then and the method called through a generated invoker
 * where it can be: {@link ListenerMethodFactory}), and turns its return value into a
 * reply. Each invocation is timed (or observed) through {@link IpcInvocationMetrics},
 * until the reply is ready or the listener failed.
 */
final class MessagingIpcListenerAdapter implements IpcMessageListener {

	private static final Log logger = LogFactory.getLog(MessagingIpcListenerAdapter.class);

	private static final long CONVERSION_LOG_INTERVAL_SECONDS = 10;

	private final String channel;

	private final String description;

	private final InvocableHandlerMethod handlerMethod;

	/**
	 * The handler method when {@link ListenerMethodFactory} made it: called without the
	 * varargs array of {@link InvocableHandlerMethod#invoke}.
	 */
	private final ListenerMethodFactory.@Nullable ResolvedHandlerMethod resolved;

	private final MessageConverter converter;

	private final @Nullable IpcErrorHandler errorHandler;

	private final ApplicationEventPublisher publisher;

	private final IpcInvocationMetrics metrics;

	/**
	 * Whether the method reads a {@code ByteBuffer} payload only during the call, so a
	 * view a channel lends is passed on without a copy.
	 */
	private final boolean borrowsPayload;

	private long conversionWindowStart;

	private int conversionSuppressed;

	MessagingIpcListenerAdapter(String channel, String description, InvocableHandlerMethod handlerMethod,
			MessageConverter converter, @Nullable IpcErrorHandler errorHandler, ApplicationEventPublisher publisher,
			IpcInvocationMetrics metrics) {
		this.channel = channel;
		this.description = description;
		this.handlerMethod = handlerMethod;
		this.resolved = (handlerMethod instanceof ListenerMethodFactory.ResolvedHandlerMethod method) ? method : null;
		this.converter = converter;
		this.errorHandler = errorHandler;
		this.publisher = publisher;
		this.metrics = metrics;
		this.borrowsPayload = ByteBufferPayloadArgumentResolver.borrowsPayload(handlerMethod);
	}

	@Override
	public String describe() {
		return this.description;
	}

	@Override
	public void onMessage(Message<?> lent, IpcReplyTarget replyTarget) {
		// a view the channel lends for the call: a method that may keep its payload
		// (a byte[], a String, a converted object, a CompletionStage's later work) gets
		// a copy, made here on the thread that runs it
		Message<?> message = this.borrowsPayload ? lent : LentPayloads.owned(lent);
		IpcInvocation invocation = this.metrics.start(message);
		Object result;
		try (IpcInvocation.Scope scope = invocation.openScope()) {
			ListenerMethodFactory.ResolvedHandlerMethod method = this.resolved;
			result = (method != null) ? method.invoke(message) : this.handlerMethod.invoke(message);
		}
		catch (Throwable ex) {
			invocation.failure(ex);
			// bad input goes to the error handler if there is one, else it is one WARN
			// line
			boolean badInput = isConversionFailure(ex);
			if (badInput && this.errorHandler == null) {
				logConversionFailure(replyTarget, ex);
			}
			handleError(message, replyTarget, ex, badInput);
			return;
		}
		complete(message, replyTarget, result, invocation);
	}

	/**
	 * The first line of the deepest message in the chain (a JSON parser's message names
	 * the problem on its first line and quotes the input on the next ones).
	 */
	private static String firstLine(Throwable ex) {
		Throwable deepest = ex;
		while (deepest.getCause() != null && deepest.getCause() != deepest) {
			deepest = deepest.getCause();
		}
		String message = String.valueOf(deepest.getMessage());
		int end = message.indexOf('\n');
		return (end >= 0) ? message.substring(0, end).strip() : message;
	}

	/**
	 * The binding result of a validation failure, else the first line of the deepest
	 * cause.
	 */
	private static String describeFailure(Throwable ex) {
		for (Throwable current = ex; current != null; current = current.getCause()) {
			if (current instanceof MethodArgumentNotValidException invalid && invalid.getBindingResult() != null) {
				return invalid.getBindingResult()
					.getAllErrors()
					.stream()
					.map((error) -> ((error instanceof FieldError field) ? field.getField() + " " : "")
							+ error.getDefaultMessage())
					.collect(Collectors.joining("; "));
			}
		}
		return firstLine(ex);
	}

	private static boolean isValidationFailure(Throwable ex) {
		for (Throwable current = ex; current != null; current = current.getCause()) {
			if (current instanceof MethodArgumentNotValidException) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether the payload could not be converted to the listener's parameter: bad input
	 * from a peer, not a failure of the application.
	 */
	private static boolean isConversionFailure(Throwable ex) {
		for (Throwable current = ex; current != null; current = current.getCause()) {
			if (current instanceof MessageConversionException || current instanceof MethodArgumentResolutionException) {
				return true;
			}
		}
		return false;
	}

	/**
	 * One WARN line without a stack trace (DEBUG has it), at most one per
	 * {@value #CONVERSION_LOG_INTERVAL_SECONDS} seconds per listener with a count of the
	 * others: a peer sending garbage must not flood the log.
	 */
	private void logConversionFailure(IpcReplyTarget replyTarget, Throwable ex) {
		String line = "Listener " + this.description + " on channel '" + this.channel + "' "
				+ (isValidationFailure(ex) ? "rejected an invalid payload" : "could not convert the payload") + " from "
				+ replyTarget.describePeer() + ": " + describeFailure(ex);
		int suppressed;
		synchronized (this) {
			long now = System.nanoTime();
			if (now - this.conversionWindowStart < TimeUnit.SECONDS.toNanos(CONVERSION_LOG_INTERVAL_SECONDS)
					&& this.conversionWindowStart != 0) {
				this.conversionSuppressed++;
				suppressed = -1;
			}
			else {
				suppressed = this.conversionSuppressed;
				this.conversionSuppressed = 0;
				this.conversionWindowStart = now;
			}
		}
		if (suppressed >= 0) {
			logger.warn(line + ((suppressed > 0) ? " (" + suppressed + " more since the last such line)" : ""));
		}
		if (logger.isDebugEnabled()) {
			logger.debug("Conversion failure of listener " + this.description, ex);
		}
	}

	private void complete(Message<?> message, IpcReplyTarget replyTarget, @Nullable Object result,
			IpcInvocation invocation) {
		if (result instanceof CompletionStage<?> stage) {
			// the channel counts the call as in flight (shutdown drains it) until its
			// outcome was delivered
			Runnable delivered = replyTarget.defer();
			stage.whenComplete((value, ex) -> {
				try {
					if (ex != null) {
						Throwable error = unwrap(ex);
						invocation.failure(error);
						handleError(message, replyTarget, error, false);
					}
					else {
						complete(message, replyTarget, value, invocation);
					}
				}
				finally {
					delivered.run();
				}
			});
			return;
		}
		if (result == null) {
			invocation.success();
			return;
		}
		byte[] payload;
		try {
			payload = toBytes(message, result);
		}
		catch (RuntimeException ex) {
			invocation.failure(ex);
			handleError(message, replyTarget, ex, false);
			return;
		}
		invocation.success();
		replyTarget.reply(payload);
	}

	private void handleError(Message<?> message, IpcReplyTarget replyTarget, Throwable error, boolean logged) {
		if (this.errorHandler != null) {
			Object reply;
			try {
				// the handler may keep the request (a dead letter): it is given a copy of
				// a lent payload, like a listener that keeps its own
				reply = this.errorHandler.handle(LentPayloads.owned(message), error);
			}
			catch (Throwable handlerError) {
				fail(replyTarget, handlerError, false);
				return;
			}
			if (reply != null) {
				// the invocation is already recorded as failed; the handler's
				// reply is not a second one
				complete(message, replyTarget, reply, IpcInvocation.NONE);
			}
			return;
		}
		fail(replyTarget, error, logged);
	}

	private void fail(IpcReplyTarget replyTarget, Throwable error, boolean logged) {
		String peer = replyTarget.describePeer();
		if (!logged) {
			logger.error("Listener " + this.description + " on channel '" + this.channel + "' failed for peer " + peer,
					error);
		}
		try {
			this.publisher.publishEvent(new ListenerFailedEvent(this, this.channel, this.description, peer, error));
		}
		finally {
			replyTarget.fail(error);
		}
	}

	private byte[] toBytes(Message<?> request, Object result) {
		if (result instanceof byte[] bytes) {
			return bytes;
		}
		if (result instanceof String text) {
			return text.getBytes(StandardCharsets.UTF_8);
		}
		Message<?> converted = this.converter.toMessage(result, null);
		if (converted == null || !(converted.getPayload() instanceof byte[] bytes)) {
			throw new MessageConversionException(request,
					"Listener " + this.description + " returned a " + result.getClass().getName()
							+ " that no message converter can write; return byte[] or String,"
							+ " or put Jackson on the class path for JSON");
		}
		return bytes;
	}

	private static Throwable unwrap(Throwable ex) {
		Throwable current = ex;
		while ((current instanceof CompletionException || current instanceof ExecutionException)
				&& current.getCause() != null) {
			current = current.getCause();
		}
		return current;
	}

}
