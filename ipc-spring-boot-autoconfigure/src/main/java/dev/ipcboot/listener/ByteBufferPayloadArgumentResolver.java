package dev.ipcboot.listener;

import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;

import org.springframework.aop.Advisor;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.MethodParameter;
import org.springframework.messaging.Message;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Headers;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;
import org.springframework.scheduling.annotation.AsyncAnnotationAdvisor;

/**
 * Resolves a {@link ByteBuffer} payload parameter to a read-only view of the payload: the
 * channel's own buffer when it lends one (a borrowed payload, see
 * {@link IpcChannel#addListener}), or the message's {@code byte[]} wrapped without a
 * copy. spring-messaging's converters do not produce a {@code ByteBuffer}.
 */
final class ByteBufferPayloadArgumentResolver implements HandlerMethodArgumentResolver {

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return isByteBufferPayload(parameter);
	}

	@Override
	public Object resolveArgument(MethodParameter parameter, Message<?> message) {
		Object payload = message.getPayload();
		if (payload instanceof ByteBuffer buffer) {
			return buffer.isReadOnly() ? buffer : buffer.asReadOnlyBuffer();
		}
		if (payload instanceof byte[] bytes) {
			return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
		}
		throw new MessageConversionException(message,
				"Cannot pass a " + payload.getClass().getName() + " payload to ByteBuffer parameter "
						+ parameter.getParameterName() + " of " + parameter.getMethod()
						+ "; a ByteBuffer payload needs a channel of bytes (a socket server): declare the parameter"
						+ " as the type this channel delivers instead");
	}

	/**
	 * Whether the method may be given a borrowed payload, a view valid only during the
	 * call: it takes its payload as a {@code ByteBuffer}, and it does not return a
	 * {@code CompletionStage}, which would suggest it goes on using the payload after it
	 * returns, and the call does not return before the method ran ({@code @Async}). Any
	 * other method is given a copy.
	 * @param method the listener method
	 * @return whether it borrows its payload
	 */
	static boolean borrowsPayload(InvocableHandlerMethod method) {
		if (CompletionStage.class.isAssignableFrom(method.getReturnType().getParameterType()) || runsLater(method)) {
			return false;
		}
		for (MethodParameter parameter : method.getMethodParameters()) {
			if (isByteBufferPayload(parameter)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether the bean is a proxy that runs the method on another thread after the call
	 * returned: Spring's {@code @Async} (or the annotation {@code @EnableAsync} names) on
	 * the method or its class.
	 */
	private static boolean runsLater(InvocableHandlerMethod method) {
		if (!(method.getBean() instanceof Advised advised)) {
			return false;
		}
		Class<?> target = AopUtils.getTargetClass(advised);
		Method specific = AopUtils.getMostSpecificMethod(method.getMethod(), target);
		for (Advisor advisor : advised.getAdvisors()) {
			if (advisor instanceof AsyncAnnotationAdvisor async && async.getPointcut().getClassFilter().matches(target)
					&& async.getPointcut().getMethodMatcher().matches(specific, target)) {
				return true;
			}
		}
		return false;
	}

	private static boolean isByteBufferPayload(MethodParameter parameter) {
		return parameter.getParameterType() == ByteBuffer.class && !parameter.hasParameterAnnotation(Header.class)
				&& !parameter.hasParameterAnnotation(Headers.class);
	}

}
