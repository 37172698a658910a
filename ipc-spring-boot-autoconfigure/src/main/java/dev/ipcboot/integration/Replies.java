package dev.ipcboot.integration;

import java.nio.charset.StandardCharsets;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.messaging.Message;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.converter.MessageConverter;

/**
 * Turns what a flow produced into the bytes written back to the peer, as a listener's
 * return value is: {@code byte[]} as is, {@code String} as UTF-8, anything else with the
 * starter's message converter (JSON).
 */
final class Replies {

	/** The starter's converter of payloads and replies. */
	private static final String CONVERTER_BEAN_NAME = "ipcMessageConverter";

	private final MessageConverter converter;

	private Replies(MessageConverter converter) {
		this.converter = converter;
	}

	static Replies from(BeanFactory beanFactory) {
		return new Replies(beanFactory.getBean(CONVERTER_BEAN_NAME, MessageConverter.class));
	}

	byte[] toBytes(Message<?> reply) {
		Object payload = reply.getPayload();
		if (payload instanceof byte[] bytes) {
			return bytes;
		}
		if (payload instanceof String text) {
			return text.getBytes(StandardCharsets.UTF_8);
		}
		Message<?> converted = this.converter.toMessage(payload, null);
		if (converted == null || !(converted.getPayload() instanceof byte[] bytes)) {
			throw new MessageConversionException(reply,
					"A flow replied with a " + payload.getClass().getName()
							+ " that no message converter can write; reply with byte[] or String, or put Jackson on the"
							+ " class path for JSON");
		}
		return bytes;
	}

}
