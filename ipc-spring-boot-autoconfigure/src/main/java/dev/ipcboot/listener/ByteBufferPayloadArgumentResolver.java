package dev.ipcboot.listener;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;

import org.springframework.aop.support.AopUtils;
import org.springframework.core.MethodParameter;
import org.springframework.messaging.Message;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Headers;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;
import org.springframework.util.ClassUtils;

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
	 * call: it takes its payload as a {@code ByteBuffer} (or a
	 * {@code Message<ByteBuffer>}), it does not return a {@code CompletionStage}, which
	 * would suggest it goes on using the payload after it returns, and the listener core
	 * calls the bean's method itself. A proxy (Spring's {@code @Async}, or any
	 * interceptor of the application's) may run the method after the call returned, on
	 * another thread, so a method of a proxied bean is given a copy, as is any other
	 * method.
	 * @param method the listener method
	 * @return whether it borrows its payload
	 */
	static boolean borrowsPayload(InvocableHandlerMethod method) {
		if (CompletionStage.class.isAssignableFrom(method.getReturnType().getParameterType())
				|| !callsTargetItself(method.getBean(), method.getMethod())) {
			return false;
		}
		for (MethodParameter parameter : method.getMethodParameters()) {
			if (isByteBufferPayload(parameter) || ArgumentSource.isMessageOfByteBuffer(parameter)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether calling the method on the bean runs the bean's own code: not a proxy's
	 * (Spring AOP, a JDK proxy) and not a generated subclass's override (CGLIB, Byte
	 * Buddy), any of which may defer the call.
	 */
	private static boolean callsTargetItself(Object bean, Method method) {
		Class<?> type = bean.getClass();
		if (AopUtils.isAopProxy(bean) || Proxy.isProxyClass(type)) {
			return false;
		}
		Class<?> runs = ClassUtils.getMostSpecificMethod(method, type).getDeclaringClass();
		return !runs.isSynthetic() && ClassUtils.getUserClass(runs) == runs;
	}

	private static boolean isByteBufferPayload(MethodParameter parameter) {
		return parameter.getParameterType() == ByteBuffer.class && !parameter.hasParameterAnnotation(Header.class)
				&& !parameter.hasParameterAnnotation(Headers.class);
	}

}
