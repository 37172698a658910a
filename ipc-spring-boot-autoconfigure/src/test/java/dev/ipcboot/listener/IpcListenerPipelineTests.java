package dev.ipcboot.listener;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.annotation.Header;

import dev.ipcboot.IpcConfigurationException;
import dev.ipcboot.autoconfigure.IpcListenerAutoConfiguration;
import dev.ipcboot.socket.SocketHeaders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The listener pipeline from annotation to reply, over an in-memory channel of our own
 * SPI.
 */
class IpcListenerPipelineTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, IpcListenerAutoConfiguration.class))
		.withUserConfiguration(Channels.class)
		.withPropertyValues("test.channel=text");

	@Test
	void stringPayloadIsUtf8AndStringReplyIsWrittenBack() {
		this.runner.withBean(Listeners.class).run((context) -> {
			InMemoryChannel channel = context.getBean("textChannel", InMemoryChannel.class);
			assertThat(channel.deliver("héllo").reply).succeedsWithin(Duration.ofSeconds(5)).isEqualTo("HÉLLO");
		});
	}

	@Test
	void objectPayloadIsReadAsJsonAndObjectReplyWrittenAsJson() {
		this.runner.withBean(Listeners.class).run((context) -> {
			InMemoryChannel channel = context.getBean("jsonChannel", InMemoryChannel.class);
			assertThat(channel.deliver("{\"id\":7,\"item\":\"tea\"}").reply).succeedsWithin(Duration.ofSeconds(5))
				.isEqualTo("{\"order\":7,\"status\":\"accepted tea\"}");
		});
	}

	@Test
	void byteArrayPayloadAndHeadersAndMessageAreResolved() {
		this.runner.withBean(Listeners.class).run((context) -> {
			InMemoryChannel channel = context.getBean("bytesChannel", InMemoryChannel.class);
			InMemoryChannel.Outcome outcome = channel.deliver("abc", Map.of(SocketHeaders.PEER_UID, 1234));
			assertThat(outcome.reply).succeedsWithin(Duration.ofSeconds(5)).isEqualTo("3 bytes from 1234 on bytes");
		});
	}

	@Test
	void emptyFrameArrivesAsAnEmptyStringInsteadOfFailing() {
		this.runner.withBean(Listeners.class).run((context) -> {
			InMemoryChannel channel = context.getBean("textChannel", InMemoryChannel.class);
			InMemoryChannel.Outcome outcome = channel.deliver("");
			assertThat(outcome.reply).succeedsWithin(Duration.ofSeconds(5)).isEqualTo("");
			assertThat(outcome.failure).isNotDone();
		});
	}

	@Test
	void emptyFrameForAnObjectListenerFailsOnlyThatMessage() {
		this.runner.withBean(Listeners.class).run((context) -> {
			InMemoryChannel channel = context.getBean("jsonChannel", InMemoryChannel.class);
			assertThat(channel.deliver("").failure).succeedsWithin(Duration.ofSeconds(5));
		});
	}

	@Test
	void voidListenerSendsNoReply() {
		this.runner.withBean(Listeners.class).run((context) -> {
			InMemoryChannel channel = context.getBean("voidChannel", InMemoryChannel.class);
			InMemoryChannel.Outcome outcome = channel.deliver("note");
			assertThat(context.getBean(Listeners.class).notes).containsExactly("note");
			assertThat(outcome.reply).isNotDone();
			assertThat(outcome.failure).isNotDone();
		});
	}

	@Test
	void completableFutureReplyIsSentWhenItCompletes() {
		this.runner.withBean(Listeners.class).run((context) -> {
			Listeners listeners = context.getBean(Listeners.class);
			InMemoryChannel channel = context.getBean("asyncChannel", InMemoryChannel.class);
			InMemoryChannel.Outcome outcome = channel.deliver("later");
			assertThat(outcome.reply).isNotDone();
			listeners.pending.get(0).complete("done: later");
			assertThat(outcome.reply).succeedsWithin(Duration.ofSeconds(5)).isEqualTo("done: later");
		});
	}

	@Test
	void listenerThatThrowsFailsTheReplyTargetAndPublishesAnEvent() {
		this.runner.withBean(Listeners.class).withBean(FailureEvents.class).run((context) -> {
			InMemoryChannel channel = context.getBean("failingChannel", InMemoryChannel.class);
			InMemoryChannel.Outcome outcome = channel.deliver("boom");
			assertThat(outcome.failure).succeedsWithin(Duration.ofSeconds(5))
				.satisfies((error) -> assertThat(error).hasMessage("no boom today"));
			assertThat(outcome.reply).isNotDone();
			List<ListenerFailedEvent> events = context.getBean(FailureEvents.class).events;
			assertThat(events).singleElement().satisfies((event) -> {
				assertThat(event.resourceName()).isEqualTo("failing");
				assertThat(event.peer()).isEqualTo("test peer");
				assertThat(event.listener()).contains("Listeners.fail(String)");
			});
		});
	}

	@Test
	void failedFutureIsTreatedLikeAThrowingListener() {
		this.runner.withBean(Listeners.class).run((context) -> {
			Listeners listeners = context.getBean(Listeners.class);
			InMemoryChannel channel = context.getBean("asyncChannel", InMemoryChannel.class);
			InMemoryChannel.Outcome outcome = channel.deliver("later");
			listeners.pending.get(0).completeExceptionally(new IllegalStateException("async boom"));
			assertThat(outcome.failure).succeedsWithin(Duration.ofSeconds(5))
				.satisfies((error) -> assertThat(error).hasMessage("async boom"));
		});
	}

	@Test
	void malformedJsonForAnObjectListenerFailsOnlyThatMessage() {
		this.runner.withBean(Listeners.class).run((context) -> {
			InMemoryChannel channel = context.getBean("jsonChannel", InMemoryChannel.class);
			assertThat(channel.deliver("{not json").failure).succeedsWithin(Duration.ofSeconds(5));
			assertThat(channel.deliver("{\"id\":8,\"item\":\"cake\"}").reply).succeedsWithin(Duration.ofSeconds(5))
				.isEqualTo("{\"order\":8,\"status\":\"accepted cake\"}");
		});
	}

	@Test
	void errorHandlerCanTurnAFailureIntoAReply() {
		this.runner.withBean(Listeners.class)
			.withBean(IpcErrorHandler.class, () -> (request, error) -> "error: " + error.getMessage())
			.run((context) -> {
				InMemoryChannel channel = context.getBean("failingChannel", InMemoryChannel.class);
				InMemoryChannel.Outcome outcome = channel.deliver("boom");
				assertThat(outcome.reply).succeedsWithin(Duration.ofSeconds(5)).isEqualTo("error: no boom today");
				assertThat(outcome.failure).isNotDone();
			});
	}

	@Test
	void errorHandlerThatThrowsFailsTheReplyTarget() {
		this.runner.withBean(Listeners.class).withBean(IpcErrorHandler.class, () -> (request, error) -> {
			throw new IllegalArgumentException("handler gave up");
		}).run((context) -> {
			InMemoryChannel channel = context.getBean("failingChannel", InMemoryChannel.class);
			assertThat(channel.deliver("boom").failure).succeedsWithin(Duration.ofSeconds(5))
				.satisfies((error) -> assertThat(error).hasMessage("handler gave up"));
		});
	}

	@Test
	void channelNamesArePlaceholderResolved() {
		this.runner.withBean(PlaceholderListener.class).run((context) -> {
			InMemoryChannel channel = context.getBean("textChannel", InMemoryChannel.class);
			assertThat(channel.listeners()).singleElement()
				.satisfies((listener) -> assertThat(listener.describe()).contains("PlaceholderListener.echo"));
			assertThat(channel.deliver("x").reply).succeedsWithin(Duration.ofSeconds(5)).isEqualTo("x");
		});
	}

	@Test
	void unknownChannelFailsStartUpNamingTheMethodAndTheKnownChannels() {
		this.runner.withBean(UnknownChannelListener.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).isInstanceOf(IpcConfigurationException.class)
				.hasMessageContaining("UnknownChannelListener.listen(String)")
				.hasMessageContaining("channel 'ordrs' is not configured")
				.hasMessageContaining("text (in-memory, test.channels.text)");
		});
	}

	@Test
	void duplicateChannelNamesAcrossSourcesFailStartUpNamingBothProperties() {
		this.runner
			.withBean("duplicateSource", IpcChannelSource.class, () -> () -> List.of(new InMemoryChannel("text")))
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).isInstanceOf(IpcConfigurationException.class)
					.hasMessageContaining("channel name 'text' is also used by test.channels.text");
			});
	}

	@Test
	void beansWithoutListenersAreLeftAlone() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(IpcListenerEndpointRegistry.class).getEndpoints()).isEmpty();
			assertThat(context.getBean(IpcListenerEndpointRegistry.class).getChannels()).containsKeys("text", "json");
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class Channels {

		@Bean
		InMemoryChannel textChannel() {
			return new InMemoryChannel("text");
		}

		@Bean
		InMemoryChannel jsonChannel() {
			return new InMemoryChannel("json");
		}

		@Bean
		InMemoryChannel bytesChannel() {
			return new InMemoryChannel("bytes");
		}

		@Bean
		InMemoryChannel voidChannel() {
			return new InMemoryChannel("void");
		}

		@Bean
		InMemoryChannel asyncChannel() {
			return new InMemoryChannel("async");
		}

		@Bean
		InMemoryChannel failingChannel() {
			return new InMemoryChannel("failing");
		}

		@Bean
		IpcChannelSource testChannels(List<InMemoryChannel> channels) {
			return () -> channels;
		}

	}

	record Order(int id, String item) {
	}

	record Receipt(int order, String status) {
	}

	static class Listeners {

		final List<String> notes = new CopyOnWriteArrayList<>();

		final List<CompletableFuture<String>> pending = new CopyOnWriteArrayList<>();

		@IpcListener("text")
		String upper(String text) {
			return text.toUpperCase();
		}

		@IpcListener("json")
		Receipt order(Order order) {
			return new Receipt(order.id(), "accepted " + order.item());
		}

		@IpcListener("bytes")
		String bytes(byte[] payload, @Header(SocketHeaders.PEER_UID) int uid, Message<?> message) {
			return payload.length + " bytes from " + uid + " on " + message.getHeaders().get(IpcHeaders.CHANNEL);
		}

		@IpcListener("void")
		void note(String text) {
			this.notes.add(text);
		}

		@IpcListener("async")
		CompletableFuture<String> later(String text) {
			CompletableFuture<String> future = new CompletableFuture<>();
			this.pending.add(future);
			return future;
		}

		@IpcListener("failing")
		String fail(String text) {
			throw new IllegalStateException("no boom today");
		}

	}

	static class PlaceholderListener {

		@IpcListener("${test.channel}")
		String echo(String text) {
			return text;
		}

	}

	static class UnknownChannelListener {

		@IpcListener("ordrs")
		void listen(String text) {
		}

	}

	static class FailureEvents {

		final List<ListenerFailedEvent> events = new ArrayList<>();

		@EventListener
		void on(ListenerFailedEvent event) {
			this.events.add(event);
		}

	}

}
