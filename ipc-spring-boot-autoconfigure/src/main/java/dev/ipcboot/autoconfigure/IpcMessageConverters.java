package dev.ipcboot.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.messaging.converter.ByteArrayMessageConverter;
import org.springframework.messaging.converter.CompositeMessageConverter;
import org.springframework.messaging.converter.JacksonJsonMessageConverter;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.converter.StringMessageConverter;
import org.springframework.util.ClassUtils;

import tools.jackson.databind.json.JsonMapper;

/**
 * Builds the converter for payloads and replies: {@code byte[]} as is, {@code String} as
 * UTF-8, anything else as JSON through the application's {@link JsonMapper} when Jackson
 * is present.
 */
final class IpcMessageConverters {

	private static final boolean JACKSON_PRESENT = ClassUtils.isPresent("tools.jackson.databind.json.JsonMapper",
			IpcMessageConverters.class.getClassLoader());

	private IpcMessageConverters() {
	}

	static MessageConverter create(BeanFactory beanFactory) {
		List<MessageConverter> converters = new ArrayList<>();
		converters.add(new ByteArrayMessageConverter());
		converters.add(new StringMessageConverter(StandardCharsets.UTF_8));
		if (JACKSON_PRESENT) {
			converters.add(Json.converter(beanFactory));
		}
		return new CompositeMessageConverter(converters);
	}

	private static final class Json {

		static MessageConverter converter(BeanFactory beanFactory) {
			JsonMapper mapper = beanFactory.getBeanProvider(JsonMapper.class).getIfAvailable(JsonMapper::new);
			return new JacksonJsonMessageConverter(mapper);
		}

	}

}
