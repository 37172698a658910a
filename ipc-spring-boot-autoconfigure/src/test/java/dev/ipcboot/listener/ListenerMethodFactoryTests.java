package dev.ipcboot.listener;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import org.springframework.core.MethodParameter;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHandlingException;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.support.DefaultMessageHandlerMethodFactory;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;
import org.springframework.messaging.handler.invocation.MethodArgumentResolutionException;
import org.springframework.messaging.support.MessageBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link ListenerMethodFactory}: each parameter's resolver is chosen once, and a call
 * resolves the same arguments, and fails the same way, as spring-messaging's own
 * {@code InvocableHandlerMethod}.
 */
class ListenerMethodFactoryTests {

	private final CountingResolver counting = new CountingResolver();

	@Test
	void resolverOfEachParameterIsChosenOnceNotPerMessage() throws Exception {
		InvocableHandlerMethod method = create("describe", String.class, Integer.class, Counted.class);
		int afterCreation = this.counting.supportsCalls.get();
		for (int i = 0; i < 5; i++) {
			assertThat(method.invoke(message("abc", 7))).isEqualTo("abc from 7 counted");
		}
		assertThat(this.counting.supportsCalls.get()).isEqualTo(afterCreation);
		assertThat(this.counting.resolveCalls.get()).isEqualTo(5);
	}

	@Test
	void callResolvesWhatTheStandardMethodResolves() throws Exception {
		DefaultMessageHandlerMethodFactory standardFactory = new DefaultMessageHandlerMethodFactory();
		standardFactory.setCustomArgumentResolvers(List.of(new CountingResolver()));
		standardFactory.afterPropertiesSet();
		Listener bean = new Listener();
		Method target = Listener.class.getMethod("describe", String.class, Integer.class, Counted.class);
		InvocableHandlerMethod standard = standardFactory.createInvocableHandlerMethod(bean, target);
		InvocableHandlerMethod ours = factory().createInvocableHandlerMethod(bean, target);
		assertThat(ours).isInstanceOf(ListenerMethodFactory.ResolvedHandlerMethod.class);
		for (Message<String> message : List.of(message("x", 1), message("héllo", 42))) {
			assertThat(ours.invoke(message)).isEqualTo(standard.invoke(message));
		}
	}

	@Test
	void missingRequiredHeaderFailsAsInSpringMessaging() {
		InvocableHandlerMethod method = create("describe", String.class, Integer.class, Counted.class);
		Message<String> withoutHeader = MessageBuilder.withPayload("abc").build();
		assertThatExceptionOfType(MessageHandlingException.class).isThrownBy(() -> method.invoke(withoutHeader))
			.withMessageContaining("Missing header 'uid'");
	}

	@Test
	void parameterNoResolverSupportsFailsEachCallWithSpringMessagingsError() throws Exception {
		ListenerMethodFactory factory = new ListenerMethodFactory();
		// only the counting resolver: nothing resolves a String payload
		factory.setArgumentResolvers(List.of(this.counting));
		factory.afterPropertiesSet();
		InvocableHandlerMethod method = factory.createInvocableHandlerMethod(new Listener(),
				Listener.class.getMethod("fail", String.class));
		for (int i = 0; i < 2; i++) {
			assertThatExceptionOfType(MethodArgumentResolutionException.class)
				.isThrownBy(() -> method.invoke(message("abc", 1)))
				.withMessageContaining("Could not resolve");
		}
	}

	@Test
	void listenerExceptionPropagatesUnwrapped() {
		InvocableHandlerMethod method = create("fail", String.class);
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> method.invoke(message("abc", 1)))
			.withMessage("refused abc");
	}

	private InvocableHandlerMethod create(String name, Class<?>... types) {
		try {
			return factory().createInvocableHandlerMethod(new Listener(), Listener.class.getMethod(name, types));
		}
		catch (NoSuchMethodException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private ListenerMethodFactory factory() {
		ListenerMethodFactory factory = new ListenerMethodFactory();
		factory.setCustomArgumentResolvers(List.of(this.counting));
		factory.afterPropertiesSet();
		return factory;
	}

	private static Message<String> message(String payload, int uid) {
		return MessageBuilder.createMessage(payload, new MessageHeaders(Map.of("uid", uid)));
	}

	/** A parameter type only {@link CountingResolver} resolves. */
	record Counted(String text) {
	}

	static final class CountingResolver implements HandlerMethodArgumentResolver {

		final AtomicInteger supportsCalls = new AtomicInteger();

		final AtomicInteger resolveCalls = new AtomicInteger();

		@Override
		public boolean supportsParameter(MethodParameter parameter) {
			this.supportsCalls.incrementAndGet();
			return parameter.getParameterType() == Counted.class;
		}

		@Override
		public Object resolveArgument(MethodParameter parameter, Message<?> message) {
			this.resolveCalls.incrementAndGet();
			return new Counted("counted");
		}

	}

	public static final class Listener {

		public String describe(String payload, @Header("uid") Integer uid, Counted counted) {
			return payload + " from " + uid + " " + counted.text();
		}

		public String fail(String payload) {
			throw new IllegalStateException("refused " + payload);
		}

	}

}
