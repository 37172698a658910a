package dev.ipcboot.listener;

import java.lang.annotation.Annotation;
import java.nio.ByteBuffer;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.messaging.handler.annotation.support.HeaderMethodArgumentResolver;
import org.springframework.messaging.handler.annotation.support.MessageMethodArgumentResolver;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;
import org.springframework.messaging.support.GenericMessage;
import org.springframework.messaging.support.NativeMessageHeaderAccessor;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;
import org.springframework.validation.annotation.Validated;

/**
 * One parameter's argument: its resolver, chosen once when the listener method is
 * created, and for the two commonest kinds a shortcut that returns what that resolver
 * would return without its per-call look-ups, falling back to the resolver for anything
 * else. A payload that already is an instance of the parameter's type is the argument
 * (spring-messaging's payload resolver returns it as it is when nothing is to be
 * validated); a header that is present, non-empty and an instance of the parameter's type
 * is the argument (spring-messaging's header resolver looks up the parameter's name in a
 * map, resolves placeholders in it and checks for native headers on every call first). A
 * {@code Message} parameter is given a read-only view of a {@code ByteBuffer} payload.
 */
abstract class ArgumentSource {

	final MethodParameter parameter;

	final HandlerMethodArgumentResolver resolver;

	ArgumentSource(MethodParameter parameter, HandlerMethodArgumentResolver resolver) {
		this.parameter = parameter;
		this.resolver = resolver;
	}

	/**
	 * The source of one parameter.
	 * @param parameter the parameter
	 * @param resolver the resolver chosen for it
	 * @return its source
	 */
	static ArgumentSource of(MethodParameter parameter, HandlerMethodArgumentResolver resolver) {
		if (resolver.getClass() == EmptyPayloadArgumentResolver.class && PayloadAsIs.applies(parameter)) {
			return new PayloadAsIs(parameter, resolver);
		}
		if (resolver.getClass() == HeaderMethodArgumentResolver.class) {
			String name = HeaderAsIs.name(parameter);
			if (name != null) {
				return new HeaderAsIs(parameter, resolver, name);
			}
		}
		if (resolver.getClass() == MessageMethodArgumentResolver.class) {
			return new MessageArgument(parameter, resolver);
		}
		return new Resolved(parameter, resolver);
	}

	/**
	 * The argument for one message.
	 * @param message the message
	 * @return the argument
	 * @throws Exception what the resolver throws
	 */
	abstract @Nullable Object resolve(Message<?> message) throws Exception;

	final @Nullable Object resolveFully(Message<?> message) throws Exception {
		return this.resolver.resolveArgument(this.parameter, message);
	}

	/** Whether the source returns some arguments without calling its resolver. */
	boolean isShortcut() {
		return false;
	}

	/** The chosen resolver on every call. */
	static final class Resolved extends ArgumentSource {

		Resolved(MethodParameter parameter, HandlerMethodArgumentResolver resolver) {
			super(parameter, resolver);
		}

		@Override
		@Nullable Object resolve(Message<?> message) throws Exception {
			return resolveFully(message);
		}

	}

	/**
	 * A {@code Message} parameter: a {@code ByteBuffer} payload in it is a read-only
	 * view, like a {@code ByteBuffer} payload parameter, so that a listener given the
	 * view a channel lends cannot write into the channel's buffer through its message. A
	 * {@code Message<ByteBuffer>} gets the payload of a channel of bytes as a read-only
	 * {@code ByteBuffer}, the view the channel lent or its {@code byte[]} wrapped, as a
	 * {@code ByteBuffer} payload parameter does (no message converter produces one).
	 */
	static final class MessageArgument extends ArgumentSource {

		private final boolean ofByteBuffer;

		MessageArgument(MethodParameter parameter, HandlerMethodArgumentResolver resolver) {
			super(parameter, resolver);
			this.ofByteBuffer = isMessageOfByteBuffer(parameter);
		}

		@Override
		@Nullable Object resolve(Message<?> message) throws Exception {
			if (this.ofByteBuffer) {
				Object payload = message.getPayload();
				if (payload instanceof ByteBuffer view) {
					return new GenericMessage<>(view.asReadOnlyBuffer(), message.getHeaders());
				}
				if (payload instanceof byte[] bytes) {
					return new GenericMessage<>(ByteBuffer.wrap(bytes).asReadOnlyBuffer(), message.getHeaders());
				}
			}
			Object resolved = resolveFully(message);
			if (resolved instanceof Message<?> argument && argument.getPayload() instanceof ByteBuffer view
					&& !view.isReadOnly()) {
				return new GenericMessage<>(view.asReadOnlyBuffer(), argument.getHeaders());
			}
			return resolved;
		}

	}

	/**
	 * Whether a parameter is a {@code Message<ByteBuffer>}.
	 * @param parameter the parameter
	 * @return whether its payload type is {@code ByteBuffer}
	 */
	static boolean isMessageOfByteBuffer(MethodParameter parameter) {
		return Message.class.isAssignableFrom(parameter.getParameterType())
				&& ResolvableType.forMethodParameter(parameter)
					.as(Message.class)
					.getGeneric()
					.resolve() == ByteBuffer.class;
	}

	/**
	 * A payload parameter without validation, SpEL or {@code Optional}: a payload that is
	 * an instance of its type is passed as it is, as the resolver would.
	 */
	static final class PayloadAsIs extends ArgumentSource {

		private final Class<?> type;

		PayloadAsIs(MethodParameter parameter, HandlerMethodArgumentResolver resolver) {
			super(parameter, resolver);
			this.type = parameter.getNestedParameterType();
		}

		static boolean applies(MethodParameter parameter) {
			Payload payload = parameter.getParameterAnnotation(Payload.class);
			if (payload != null && StringUtils.hasText(payload.expression())) {
				return false;
			}
			if (parameter.getParameterType() == Optional.class || parameter.getParameterType().isPrimitive()) {
				return false;
			}
			for (Annotation annotation : parameter.getParameterAnnotations()) {
				// what PayloadMethodArgumentResolver.validate looks for
				if (AnnotationUtils.getAnnotation(annotation, Validated.class) != null
						|| annotation.annotationType().getSimpleName().startsWith("Valid")) {
					return false;
				}
			}
			return true;
		}

		@Override
		boolean isShortcut() {
			return true;
		}

		@Override
		@Nullable Object resolve(Message<?> message) throws Exception {
			Object payload = message.getPayload();
			if (this.type.isInstance(payload) && !(payload instanceof Optional)) {
				return payload;
			}
			return resolveFully(message);
		}

	}

	/**
	 * A {@code @Header} parameter with a plain name, not {@code Optional}: a header that
	 * is present, not an empty string (which a default value would replace) and an
	 * instance of the parameter's type is passed as it is, as the resolver would.
	 */
	static final class HeaderAsIs extends ArgumentSource {

		private final String name;

		private final Class<?> type;

		HeaderAsIs(MethodParameter parameter, HandlerMethodArgumentResolver resolver, String name) {
			super(parameter, resolver);
			this.name = name;
			this.type = ClassUtils.resolvePrimitiveIfNecessary(parameter.getParameterType());
		}

		/** The header's name, or {@code null} when the shortcut does not apply. */
		static @Nullable String name(MethodParameter parameter) {
			Header header = parameter.getParameterAnnotation(Header.class);
			if (header == null || parameter.getParameterType() == Optional.class) {
				return null;
			}
			String name = header.name().isEmpty() ? header.value() : header.name();
			if (name.isEmpty() || name.contains("${") || name.contains("#{")
					|| name.startsWith(NativeMessageHeaderAccessor.NATIVE_HEADERS + ".")) {
				return null;
			}
			return name;
		}

		@Override
		boolean isShortcut() {
			return true;
		}

		@Override
		@Nullable Object resolve(Message<?> message) throws Exception {
			MessageHeaders headers = message.getHeaders();
			Object value = headers.get(this.name);
			if (value != null && this.type.isInstance(value) && !"".equals(value)
					&& !headers.containsKey(NativeMessageHeaderAccessor.NATIVE_HEADERS)) {
				return value;
			}
			return resolveFully(message);
		}

	}

}
