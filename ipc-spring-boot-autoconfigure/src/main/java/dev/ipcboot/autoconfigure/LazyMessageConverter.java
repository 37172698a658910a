package dev.ipcboot.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.converter.SmartMessageConverter;

/**
 * The listener registry's view of the message converter bean: the bean is looked up at
 * the first conversion, so an application without listeners never builds it. A plain
 * delegate instead of Spring's {@code @Lazy} proxy, which would bring the AOP machinery
 * (and the initialisation of {@code MessageHeaders}) into every start-up.
 */
final class LazyMessageConverter implements SmartMessageConverter {

	private final ObjectProvider<MessageConverter> converter;

	LazyMessageConverter(ObjectProvider<MessageConverter> converter) {
		this.converter = converter;
	}

	@Override
	public @Nullable Object fromMessage(Message<?> message, Class<?> targetClass) {
		return this.converter.getObject().fromMessage(message, targetClass);
	}

	@Override
	public @Nullable Object fromMessage(Message<?> message, Class<?> targetClass, @Nullable Object conversionHint) {
		MessageConverter delegate = this.converter.getObject();
		return (delegate instanceof SmartMessageConverter smart)
				? smart.fromMessage(message, targetClass, conversionHint) : delegate.fromMessage(message, targetClass);
	}

	@Override
	public @Nullable Message<?> toMessage(Object payload, @Nullable MessageHeaders headers) {
		return this.converter.getObject().toMessage(payload, headers);
	}

	@Override
	public @Nullable Message<?> toMessage(Object payload, @Nullable MessageHeaders headers,
			@Nullable Object conversionHint) {
		MessageConverter delegate = this.converter.getObject();
		return (delegate instanceof SmartMessageConverter smart) ? smart.toMessage(payload, headers, conversionHint)
				: delegate.toMessage(payload, headers);
	}

}
