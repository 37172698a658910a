package dev.ipcboot.listener;

import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.aopalliance.intercept.MethodInterceptor;
import org.junit.jupiter.api.Test;

import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;

import dev.ipcboot.autoconfigure.IpcListenerAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A channel may lend a payload as a {@link ByteBuffer} view valid only during the call
 * ({@link IpcChannel#addListener}); the listener core copies it for whoever keeps it.
 * Each channel here overwrites its buffer as soon as the call returned, so a payload that
 * was kept without a copy would read {@code ###}.
 */
class LentPayloadTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, IpcListenerAutoConfiguration.class))
		.withUserConfiguration(IpcListenerRegistryTests.Channels.class);

	@Test
	void byteArrayAndStringListenersKeepCopiesOfLentPayloads() {
		this.runner.withBean(Keeping.class).run((context) -> {
			InMemoryChannel channel = context.getBean("textChannel", InMemoryChannel.class);
			for (int i = 0; i < 3; i++) {
				assertThat(channel.lend("text-" + i).reply).succeedsWithin(Duration.ofSeconds(5))
					.isEqualTo("TEXT-" + i);
			}
			Keeping keeping = context.getBean(Keeping.class);
			assertThat(keeping.texts).containsExactly("text-0", "text-1", "text-2");
			assertThat(keeping.arrays).extracting(LentPayloadTests::text).containsExactly("text-0", "text-1", "text-2");
		});
	}

	@Test
	void byteBufferListenerReadsTheLentViewItselfReadOnly() {
		this.runner.withBean(Reading.class).run((context) -> {
			InMemoryChannel channel = context.getBean("textChannel", InMemoryChannel.class);
			assertThat(channel.lend("direct").reply).succeedsWithin(Duration.ofSeconds(5)).isEqualTo("direct");
			// the channel's direct buffer, not a copy on the heap, and not writable
			assertThat(context.getBean(Reading.class).views).containsExactly("direct read-only");
		});
	}

	@Test
	void byteBufferListenerReturningACompletionStageGetsACopyThatOutlivesTheCall() {
		this.runner.withBean(Later.class).run((context) -> {
			InMemoryChannel channel = context.getBean("textChannel", InMemoryChannel.class);
			Later later = context.getBean(Later.class);
			InMemoryChannel.Outcome outcome = channel.lend("later");
			// the channel has overwritten its buffer by now
			later.go.complete(null);
			assertThat(outcome.reply).succeedsWithin(Duration.ofSeconds(5)).isEqualTo("later");
		});
	}

	@Test
	void pausedBufferingListenerDeliversTheLentPayloadsItHeldWithTheirOwnBytes() {
		this.runner.withBean(IpcListenerRegistryTests.Buffered.class).run((context) -> {
			IpcListenerEndpointRegistry registry = context.getBean(IpcListenerEndpointRegistry.class);
			InMemoryChannel channel = context.getBean("bufferingChannel", InMemoryChannel.class);
			IpcListenerRegistryTests.Buffered buffered = context.getBean(IpcListenerRegistryTests.Buffered.class);
			registry.pause("buffered");
			for (int i = 0; i < 5; i++) {
				channel.lend("held-" + i);
			}
			registry.resume("buffered");
			assertThat(buffered.received).containsExactly("held-0", "held-1", "held-2", "held-3", "held-4");
		});
	}

	@Test
	void listenerOfAnotherKindIsGivenAByteArrayItOwns() {
		this.runner.run((context) -> {
			IpcListenerEndpointRegistry registry = context.getBean(IpcListenerEndpointRegistry.class);
			List<Object> payloads = new CopyOnWriteArrayList<>();
			registry.register("plain", "text", new IpcMessageListener() {

				@Override
				public String describe() {
					return "plain listener";
				}

				@Override
				public void onMessage(Message<?> message, IpcReplyTarget replyTarget) {
					payloads.add(message.getPayload());
				}

			}, true);
			InMemoryChannel channel = context.getBean("textChannel", InMemoryChannel.class);
			channel.lend("one");
			channel.lend("two");
			assertThat(payloads).allSatisfy((payload) -> assertThat(payload).isInstanceOf(byte[].class));
			assertThat(payloads).extracting((payload) -> text((byte[]) payload)).containsExactly("one", "two");
		});
	}

	@Test
	void asyncByteBufferListenerReadsItsPayloadAfterTheChannelReusedTheBuffer() {
		this.runner.withUserConfiguration(AsyncConfiguration.class).withBean(AsyncReading.class).run((context) -> {
			InMemoryChannel channel = context.getBean("textChannel", InMemoryChannel.class);
			AsyncReading reading = context.getBean(AsyncReading.class);
			channel.lend("async");
			// the method runs on the executor once the channel overwrote its buffer
			reading.go().complete(null);
			assertThat(reading.read()).succeedsWithin(Duration.ofSeconds(5)).isEqualTo("async");
		});
	}

	@Test
	void errorHandlerKeepingTheRequestOfAFailedByteBufferListenerKeepsItsBytes() {
		List<Message<?>> kept = new CopyOnWriteArrayList<>();
		IpcErrorHandler keeping = (request, error) -> {
			kept.add(request);
			return null;
		};
		this.runner.withBean(IpcErrorHandler.class, () -> keeping).withBean(Failing.class).run((context) -> {
			InMemoryChannel channel = context.getBean("textChannel", InMemoryChannel.class);
			channel.lend("dead letter");
			// the channel has overwritten its buffer by now
			assertThat(kept).singleElement().satisfies((request) -> {
				Object payload = request.getPayload();
				byte[] bytes = (payload instanceof byte[] array) ? array : new byte[0];
				if (payload instanceof ByteBuffer view) {
					bytes = new byte[view.remaining()];
					view.get(view.position(), bytes);
				}
				assertThat(text(bytes)).isEqualTo("dead letter");
			});
		});
	}

	@Test
	void byteBufferListenerCannotWriteTheLentViewThroughItsMessageParameter() {
		this.runner.withBean(WritingThroughMessage.class).run((context) -> {
			InMemoryChannel channel = context.getBean("textChannel", InMemoryChannel.class);
			WritingThroughMessage writing = context.getBean(WritingThroughMessage.class);
			assertThat(channel.lend("guarded").reply).succeedsWithin(Duration.ofSeconds(5)).isEqualTo("guarded");
			// each id: the Message<ByteBuffer> and the Message<?> parameter refused the
			// write, and the ByteBuffer parameter read the frame as the channel lent it
			assertThat(writing.outcomes).containsOnly("typed: read-only", "wildcard: read-only");
			assertThat(writing.outcomes).hasSize(2);
		});
	}

	@Test
	void messageOfByteBufferListenerReadsLentAndOwnedPayloadsReadOnly() {
		this.runner.withBean(MessageReading.class).run((context) -> {
			InMemoryChannel channel = context.getBean("textChannel", InMemoryChannel.class);
			// a lent frame is read through the channel's view, a frame of another
			// framing through its byte[]; before, both failed as JSON
			assertThat(channel.lend("lent").reply).succeedsWithin(Duration.ofSeconds(5)).isEqualTo("lent");
			assertThat(channel.deliver("owned").reply).succeedsWithin(Duration.ofSeconds(5)).isEqualTo("owned");
			assertThat(context.getBean(MessageReading.class).views).containsExactly("direct read-only",
					"heap read-only");
		});
	}

	@Test
	void listenerBehindAProxyThatRunsItLaterReadsACopyNotTheReusedView() {
		this.runner.withUserConfiguration(LaterProxyConfiguration.class)
			.withBean(ProxiedReading.class)
			.run((context) -> {
				InMemoryChannel channel = context.getBean("textChannel", InMemoryChannel.class);
				ProxiedReading reading = context.getBean(ProxiedReading.class);
				assertThat(AopUtils.isAopProxy(reading)).isTrue();
				channel.lend("proxied");
				// the interceptor runs the method once the channel overwrote its buffer
				context.getBean(LaterProxyConfiguration.class).go.complete(null);
				assertThat(reading.read()).succeedsWithin(Duration.ofSeconds(5)).isEqualTo("proxied");
			});
	}

	private static String text(byte[] bytes) {
		return new String(bytes, StandardCharsets.UTF_8);
	}

	static class Keeping {

		final List<String> texts = new CopyOnWriteArrayList<>();

		final List<byte[]> arrays = new CopyOnWriteArrayList<>();

		@IpcListener(value = "text", id = "strings")
		String upper(String text) {
			this.texts.add(text);
			return text.toUpperCase();
		}

		@IpcListener(value = "text", id = "arrays")
		void keep(byte[] payload) {
			this.arrays.add(payload);
		}

	}

	static class Reading {

		final List<String> views = new CopyOnWriteArrayList<>();

		@IpcListener("text")
		byte[] read(ByteBuffer payload) {
			this.views.add(
					(payload.isDirect() ? "direct" : "heap") + " " + (payload.isReadOnly() ? "read-only" : "writable"));
			byte[] copy = new byte[payload.remaining()];
			payload.get(copy);
			return copy;
		}

	}

	static class Later {

		final CompletableFuture<Void> go = new CompletableFuture<>();

		@IpcListener("text")
		CompletableFuture<String> later(ByteBuffer payload) {
			return this.go.thenApply((ignored) -> StandardCharsets.UTF_8.decode(payload).toString());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAsync
	static class AsyncConfiguration {

	}

	static class AsyncReading {

		final CompletableFuture<Void> go = new CompletableFuture<>();

		final CompletableFuture<String> read = new CompletableFuture<>();

		// public: the test reaches the fields through the @Async proxy
		public CompletableFuture<Void> go() {
			return this.go;
		}

		public CompletableFuture<String> read() {
			return this.read;
		}

		@Async
		@IpcListener("text")
		public void read(ByteBuffer payload) {
			this.go.join();
			this.read.complete(StandardCharsets.UTF_8.decode(payload).toString());
		}

	}

	static class MessageReading {

		final List<String> views = new CopyOnWriteArrayList<>();

		@IpcListener("text")
		String read(Message<ByteBuffer> message) {
			ByteBuffer payload = message.getPayload();
			this.views.add(
					(payload.isDirect() ? "direct" : "heap") + " " + (payload.isReadOnly() ? "read-only" : "writable"));
			return StandardCharsets.UTF_8.decode(payload).toString();
		}

	}

	static class WritingThroughMessage {

		final List<String> outcomes = new CopyOnWriteArrayList<>();

		@IpcListener(value = "text", id = "typed")
		byte[] typed(ByteBuffer payload, Message<ByteBuffer> message) {
			this.outcomes.add("typed: " + write(message.getPayload()));
			byte[] copy = new byte[payload.remaining()];
			payload.get(copy);
			return copy;
		}

		@IpcListener(value = "text", id = "wildcard")
		void wildcard(ByteBuffer payload, Message<?> message) {
			this.outcomes.add("wildcard: " + write((ByteBuffer) message.getPayload()));
		}

		private static String write(ByteBuffer view) {
			try {
				view.put(0, (byte) 'X');
				return "written";
			}
			catch (ReadOnlyBufferException ex) {
				return "read-only";
			}
		}

	}

	/**
	 * Proxies {@link ProxiedReading} with an interceptor of the application's own (not
	 * Spring's {@code @Async}) that runs the method on another thread after the call
	 * returned.
	 */
	@Configuration(proxyBeanMethods = false)
	static class LaterProxyConfiguration {

		final CompletableFuture<Void> go = new CompletableFuture<>();

		@Bean
		static BeanPostProcessor laterProxy(ObjectProvider<LaterProxyConfiguration> configuration) {
			return new BeanPostProcessor() {

				@Override
				public Object postProcessAfterInitialization(Object bean, String beanName) {
					if (!(bean instanceof ProxiedReading)) {
						return bean;
					}
					ProxyFactory factory = new ProxyFactory(bean);
					factory.setProxyTargetClass(true);
					factory.addAdvice((MethodInterceptor) (invocation) -> {
						if (!invocation.getMethod().getName().equals("read") || invocation.getArguments().length == 0) {
							return invocation.proceed();
						}
						CompletableFuture<Void> go = configuration.getObject().go;
						go.thenRunAsync(() -> {
							try {
								invocation.proceed();
							}
							catch (Throwable ex) {
								throw new IllegalStateException(ex);
							}
						});
						return null;
					});
					return factory.getProxy();
				}

			};
		}

	}

	static class ProxiedReading {

		final CompletableFuture<String> read = new CompletableFuture<>();

		// public: the test reaches the field through the proxy
		public CompletableFuture<String> read() {
			return this.read;
		}

		@IpcListener("text")
		public void read(ByteBuffer payload) {
			this.read.complete(StandardCharsets.UTF_8.decode(payload).toString());
		}

	}

	static class Failing {

		@IpcListener("text")
		void fail(ByteBuffer payload) {
			throw new IllegalStateException("cannot take " + payload.remaining() + " bytes");
		}

	}

}
