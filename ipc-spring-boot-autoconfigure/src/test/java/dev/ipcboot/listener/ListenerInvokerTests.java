package dev.ipcboot.listener;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.aopalliance.intercept.MethodInterceptor;
import org.junit.jupiter.api.Test;

import org.springframework.aop.framework.ProxyFactory;
import org.springframework.core.MethodParameter;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.ByteArrayMessageConverter;
import org.springframework.messaging.converter.CompositeMessageConverter;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.converter.StringMessageConverter;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.messaging.handler.annotation.support.DefaultMessageHandlerMethodFactory;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.messaging.support.NativeMessageHeaderAccessor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * {@link ListenerMethodFactory} calls listener methods of up to two parameters through a
 * generated {@link ListenerInvoker} and resolves payloads and headers that need no
 * conversion without their resolvers' per-call look-ups: each case here gives what
 * spring-messaging's own {@code InvocableHandlerMethod}, made by its
 * {@link DefaultMessageHandlerMethodFactory} with the same resolvers, gives for the same
 * message: the same result, or the same exception (the very instance the listener threw,
 * unwrapped as before).
 */
class ListenerInvokerTests {

	private static final MessageConverter CONVERTER = new CompositeMessageConverter(
			List.of(new ByteArrayMessageConverter(), new StringMessageConverter(StandardCharsets.UTF_8)));

	@Test
	void everyArityAndReturnKindGivesTheStandardResultThroughAGeneratedInvoker() throws Exception {
		Shapes bean = new Shapes();
		Message<byte[]> message = message("abc", Map.of("uid", 7, "name", "n"));
		for (String name : List.of("none", "bytes", "text", "primitiveReturn", "two", "headerFirst", "voidNone",
				"voidOne", "voidTwo", "primitiveHeader")) {
			Method method = find(Shapes.class, name);
			Compared compared = compare(bean, method, message);
			assertThat(compared.ours().isGenerated()).as(name).isTrue();
			assertThat(compared.ourResult()).as(name).isEqualTo(compared.standardResult());
		}
		// each void method ran twice (standard, ours), and saw the same arguments
		assertThat(bean.calls).containsExactly("voidNone", "voidNone", "voidOne abc", "voidOne abc", "voidTwo abc 7",
				"voidTwo abc 7");
	}

	@Test
	void nonPublicClassAndMethodAreCalledThroughAGeneratedInvoker() throws Exception {
		Method method = Hidden.class.getDeclaredMethod("hidden", String.class);
		Compared compared = compare(new Hidden(), method, message("abc", Map.of()));
		assertThat(compared.ours().isGenerated()).isTrue();
		assertThat(compared.ourResult()).isEqualTo("hidden abc").isEqualTo(compared.standardResult());
	}

	@Test
	void threeParametersStayOnReflectionWithTheSameResult() throws Exception {
		Compared compared = compare(new Shapes(), find(Shapes.class, "three"),
				message("abc", Map.of("uid", 7, "name", "n")));
		assertThat(compared.ours().isGenerated()).isFalse();
		assertThat(compared.ourResult()).isEqualTo("abc 7 n").isEqualTo(compared.standardResult());
	}

	@Test
	void runtimeCheckedAndErrorThrowablesOfTheListenerSurfaceAsTheSameInstance() throws Exception {
		Throwing bean = new Throwing();
		for (Throwable thrown : List.of(new IllegalStateException("refused"), new IOException("checked"),
				new AssertionError("error"))) {
			bean.next = thrown;
			for (String name : List.of("one", "two", "none")) {
				Method method = find(Throwing.class, name);
				InvocableHandlerMethod ours = ours(bean, method);
				assertThat(((ListenerMethodFactory.ResolvedHandlerMethod) ours).isGenerated()).isTrue();
				Message<byte[]> message = message("abc", Map.of("uid", 7));
				assertThat(catchThrowable(() -> standard(bean, method).invoke(message))).as(name).isSameAs(thrown);
				assertThat(catchThrowable(() -> ours.invoke(message))).as(name).isSameAs(thrown);
			}
		}
	}

	@Test
	void throwableThatIsNeitherExceptionNorErrorIsWrappedAsSpringMessagingWrapsIt() throws Exception {
		Throwing bean = new Throwing();
		bean.next = new Throwable("odd");
		Method method = find(Throwing.class, "one");
		Message<byte[]> message = message("abc", Map.of());
		Throwable standard = catchThrowable(() -> standard(bean, method).invoke(message));
		Throwable ours = catchThrowable(() -> ours(bean, method).invoke(message));
		assertThat(ours).isInstanceOf(IllegalStateException.class).hasCause(bean.next);
		assertThat(standard).isInstanceOf(IllegalStateException.class).hasCause(bean.next);
		assertThat(ours.getMessage()).isEqualTo(standard.getMessage());
	}

	@Test
	void missingOptionalHeaderForAPrimitiveFailsAsReflectionFailsIt() throws Exception {
		Method method = find(Shapes.class, "optionalPrimitive");
		Message<byte[]> withoutHeader = message("abc", Map.of());
		Throwable standard = catchThrowable(() -> standard(new Shapes(), method).invoke(withoutHeader));
		Throwable ours = catchThrowable(() -> ours(new Shapes(), method).invoke(withoutHeader));
		assertThat(standard).isNotNull();
		assertThat(ours).hasSameClassAs(standard).hasMessage(standard.getMessage()).hasNoCause();
		// with the header, the generated invoker runs
		assertThat(ours(new Shapes(), method).invoke(message("abc", Map.of("uid", 3)))).isEqualTo("abc 3");
	}

	@Test
	void argumentOfTheWrongTypeFromAResolverFailsAsReflectionFailsIt() throws Exception {
		Method method = find(Shapes.class, "counted");
		HandlerMethodArgumentResolver wrong = new HandlerMethodArgumentResolver() {

			@Override
			public boolean supportsParameter(MethodParameter parameter) {
				return parameter.getParameterType() == Long.class;
			}

			@Override
			public Object resolveArgument(MethodParameter parameter, Message<?> message) {
				return "not a Long";
			}

		};
		DefaultMessageHandlerMethodFactory standardFactory = new DefaultMessageHandlerMethodFactory();
		standardFactory.setCustomArgumentResolvers(List.of(wrong));
		standardFactory.afterPropertiesSet();
		ListenerMethodFactory ourFactory = new ListenerMethodFactory();
		ourFactory.setCustomArgumentResolvers(List.of(wrong));
		ourFactory.afterPropertiesSet();
		Message<byte[]> message = message("abc", Map.of());
		Throwable standard = catchThrowable(
				() -> standardFactory.createInvocableHandlerMethod(new Shapes(), method).invoke(message));
		InvocableHandlerMethod ours = ourFactory.createInvocableHandlerMethod(new Shapes(), method);
		assertThat(((ListenerMethodFactory.ResolvedHandlerMethod) ours).isGenerated()).isTrue();
		assertThat(standard).isInstanceOf(IllegalStateException.class);
		assertThat(catchThrowable(() -> ours.invoke(message))).hasSameClassAs(standard)
			.hasMessage(standard.getMessage())
			.cause()
			.hasSameClassAs(standard.getCause());
	}

	@Test
	void payloadAndHeaderThatNeedConversionAreConvertedAsBefore() throws Exception {
		Shapes bean = new Shapes();
		Map<String, Message<?>> messages = new HashMap<>();
		// a byte[] payload to a String parameter, an Integer header to a String
		// parameter, an empty header with a default value, an Optional header, a native
		// header
		messages.put("textWithHeaderText", message("abc", Map.of("uid", 7)));
		messages.put("defaulted", message("abc", Map.of("name", "")));
		messages.put("optionalHeader", message("abc", Map.of("uid", 5)));
		messages.put("text", MessageBuilder.createMessage("a String payload", new MessageHeaders(Map.of("uid", 1))));
		messages.put("headerFirst",
				MessageBuilder.createMessage("abc".getBytes(StandardCharsets.UTF_8), new MessageHeaders(Map.of("name",
						"top", NativeMessageHeaderAccessor.NATIVE_HEADERS, Map.of("name", List.of("native"))))));
		for (Map.Entry<String, Message<?>> entry : messages.entrySet()) {
			Compared compared = compare(bean, find(Shapes.class, entry.getKey()), entry.getValue());
			assertThat(compared.ourResult()).as(entry.getKey()).isEqualTo(compared.standardResult());
		}
		assertThat(compare(bean, find(Shapes.class, "defaulted"), messages.get("defaulted")).ourResult())
			.isEqualTo("abc fallback");
	}

	@Test
	void shortcutsApplyOnlyToPlainPayloadsAndNamedHeaders() throws Exception {
		ListenerMethodFactory.ResolvedHandlerMethod ours = (ListenerMethodFactory.ResolvedHandlerMethod) ours(
				new Shapes(), find(Shapes.class, "two"));
		assertThat(ours.sources()).allMatch(ArgumentSource::isShortcut);
		ListenerMethodFactory.ResolvedHandlerMethod optional = (ListenerMethodFactory.ResolvedHandlerMethod) ours(
				new Shapes(), find(Shapes.class, "optionalHeader"));
		assertThat(optional.sources()[1].isShortcut()).isFalse();
		ListenerMethodFactory.ResolvedHandlerMethod expression = (ListenerMethodFactory.ResolvedHandlerMethod) ours(
				new Shapes(), find(Shapes.class, "placeholderHeader"));
		assertThat(expression.sources()[1].isShortcut()).isFalse();
	}

	@Test
	void proxiedBeansRunTheirAdviceThroughTheGeneratedInvoker() throws Exception {
		List<String> advised = new ArrayList<>();
		MethodInterceptor interceptor = (invocation) -> {
			advised.add(invocation.getMethod().getName());
			return invocation.proceed();
		};
		// an interface-based (JDK) proxy and a class-based (CGLIB) proxy
		ProxyFactory jdk = new ProxyFactory(new Greeter());
		jdk.addInterface(Greeting.class);
		jdk.addAdvice(interceptor);
		Object jdkProxy = jdk.getProxy();
		assertThat(Proxy.isProxyClass(jdkProxy.getClass())).isTrue();
		ProxyFactory cglib = new ProxyFactory(new Greeter());
		cglib.setProxyTargetClass(true);
		cglib.addAdvice(interceptor);
		Object cglibProxy = cglib.getProxy();
		Message<byte[]> message = message("abc", Map.of());
		for (Object proxy : List.of(jdkProxy, cglibProxy)) {
			Method method = (proxy == jdkProxy) ? Greeting.class.getMethod("greet", String.class)
					: Greeter.class.getMethod("greet", String.class);
			ListenerMethodFactory.ResolvedHandlerMethod ours = (ListenerMethodFactory.ResolvedHandlerMethod) ours(proxy,
					method);
			assertThat(ours.isGenerated()).isTrue();
			assertThat(ours.invoke(message)).isEqualTo("hello abc");
		}
		assertThat(advised).containsExactly("greet", "greet");
	}

	private record Compared(ListenerMethodFactory.ResolvedHandlerMethod ours, Object ourResult, Object standardResult) {
	}

	private static Compared compare(Object bean, Method method, Message<?> message) throws Exception {
		Object standardResult = standard(bean, method).invoke(message);
		ListenerMethodFactory.ResolvedHandlerMethod ours = (ListenerMethodFactory.ResolvedHandlerMethod) ours(bean,
				method);
		return new Compared(ours, ours.invoke(message), standardResult);
	}

	private static InvocableHandlerMethod standard(Object bean, Method method) {
		DefaultMessageHandlerMethodFactory factory = new DefaultMessageHandlerMethodFactory();
		configure(factory);
		return factory.createInvocableHandlerMethod(bean, method);
	}

	private static InvocableHandlerMethod ours(Object bean, Method method) {
		ListenerMethodFactory factory = new ListenerMethodFactory();
		configure(factory);
		return factory.createInvocableHandlerMethod(bean, method);
	}

	/** The resolvers the registry gives every listener. */
	private static void configure(DefaultMessageHandlerMethodFactory factory) {
		factory.setMessageConverter(CONVERTER);
		factory.setCustomArgumentResolvers(
				List.of(new ByteBufferPayloadArgumentResolver(), new EmptyPayloadArgumentResolver(CONVERTER, null)));
		factory.afterPropertiesSet();
	}

	private static Method find(Class<?> type, String name) {
		for (Method method : type.getMethods()) {
			if (method.getName().equals(name)) {
				return method;
			}
		}
		throw new IllegalArgumentException(name);
	}

	private static Message<byte[]> message(String payload, Map<String, Object> headers) {
		return MessageBuilder.createMessage(payload.getBytes(StandardCharsets.UTF_8), new MessageHeaders(headers));
	}

	public static class Shapes {

		final List<String> calls = new ArrayList<>();

		public String none() {
			return "none";
		}

		public String counted(Long count) {
			return "count " + count;
		}

		public byte[] bytes(byte[] payload) {
			return payload;
		}

		public String text(String payload) {
			return payload.toUpperCase();
		}

		public int primitiveReturn(byte[] payload) {
			return payload.length;
		}

		public String two(byte[] payload, @Header("uid") Integer uid) {
			return new String(payload, StandardCharsets.UTF_8) + " " + uid;
		}

		public String headerFirst(@Header("name") String name, @Payload String payload) {
			return name + " " + payload;
		}

		public void voidNone() {
			this.calls.add("voidNone");
		}

		public void voidOne(String payload) {
			this.calls.add("voidOne " + payload);
		}

		public void voidTwo(String payload, @Header("uid") int uid) {
			this.calls.add("voidTwo " + payload + " " + uid);
		}

		public long primitiveHeader(@Header("uid") int uid) {
			return uid * 2L;
		}

		public String three(String payload, @Header("uid") int uid, @Header("name") String name) {
			return payload + " " + uid + " " + name;
		}

		public String optionalPrimitive(String payload, @Header(name = "uid", required = false) int uid) {
			return payload + " " + uid;
		}

		public String textWithHeaderText(String payload, @Header("uid") String uid) {
			return payload + " " + uid;
		}

		public String defaulted(String payload, @Header(name = "name", defaultValue = "fallback") String name) {
			return payload + " " + name;
		}

		public String optionalHeader(String payload, @Header("uid") Optional<Integer> uid) {
			return payload + " " + uid.orElse(-1);
		}

		public String placeholderHeader(String payload, @Header("${uid}") String uid) {
			return payload + " " + uid;
		}

	}

	public static class Throwing {

		Throwable next;

		public String none() throws Throwable {
			throw this.next;
		}

		public String one(String payload) throws Throwable {
			throw this.next;
		}

		public void two(String payload, @Header("uid") Integer uid) throws Throwable {
			throw this.next;
		}

	}

	static final class Hidden {

		String hidden(String payload) {
			return "hidden " + payload;
		}

	}

	public interface Greeting {

		String greet(String name);

	}

	public static class Greeter implements Greeting {

		@Override
		public String greet(String name) {
			return "hello " + name;
		}

	}

}
