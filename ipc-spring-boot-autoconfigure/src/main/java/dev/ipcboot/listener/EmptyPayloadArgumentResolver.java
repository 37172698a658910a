package dev.ipcboot.listener;

import org.jspecify.annotations.Nullable;

import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.handler.annotation.support.PayloadMethodArgumentResolver;
import org.springframework.validation.Validator;

/**
 * Resolves the payload like spring-messaging's {@link PayloadMethodArgumentResolver},
 * except that an empty frame is a message like any other: an empty line on a line-framed
 * socket arrives as {@code ""} or an empty {@code byte[]}, instead of failing as a
 * missing payload and closing the connection.
 */
final class EmptyPayloadArgumentResolver extends PayloadMethodArgumentResolver {

	EmptyPayloadArgumentResolver(MessageConverter messageConverter, @Nullable Validator validator) {
		super(messageConverter, validator, true);
	}

	@Override
	protected boolean isEmptyPayload(@Nullable Object payload) {
		return payload == null;
	}

}
