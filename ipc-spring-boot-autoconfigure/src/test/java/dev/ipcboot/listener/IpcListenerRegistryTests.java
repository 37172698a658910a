package dev.ipcboot.listener;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.LazyInitializationBeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.support.MethodArgumentNotValidException;

import dev.ipcboot.IpcConfigurationException;
import dev.ipcboot.autoconfigure.IpcListenerAutoConfiguration;
import dev.ipcboot.socket.SocketHeaders;
import dev.ipcboot.testsupport.LogLines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * What the {@link IpcListenerEndpointRegistry} does with the listeners it finds: ids,
 * lazy beans, per-listener error handlers, validation, the header check and the bound of
 * a buffering channel, over channels of our own SPI.
 */
@ExtendWith(OutputCaptureExtension.class)
class IpcListenerRegistryTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, IpcListenerAutoConfiguration.class))
		.withUserConfiguration(Channels.class);

	@Test
	void listenerWithoutAnIdIsRegisteredAsBeanNameDotMethodName() {
		this.runner.withBean("texts", Texts.class).run((context) -> {
			IpcListenerEndpointRegistry registry = context.getBean(IpcListenerEndpointRegistry.class);
			assertThat(registry.ids()).containsExactly("texts.upper");
			assertThat(registry.channelsOf("texts.upper")).containsExactly("text");
			assertThatIllegalArgumentException().isThrownBy(() -> registry.pause("nope"))
				.withMessageContaining("'nope'")
				.withMessageContaining("texts.upper");
		});
	}

	@Test
	void listenersOfLazyBeansAreRegisteredWithLazyInitializationSwitchedOn() {
		this.runner
			.withBean(LazyInitializationBeanFactoryPostProcessor.class, LazyInitializationBeanFactoryPostProcessor::new)
			.withBean("texts", Texts.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				InMemoryChannel channel = context.getBean("textChannel", InMemoryChannel.class);
				assertThat(channel.deliver("lazy").reply).succeedsWithin(Duration.ofSeconds(5)).isEqualTo("LAZY");
			});
	}

	@Test
	void listenersOfAnExplicitlyLazyBeanAreRegistered() {
		this.runner.withUserConfiguration(LazyTexts.class).run((context) -> {
			InMemoryChannel channel = context.getBean("textChannel", InMemoryChannel.class);
			assertThat(channel.deliver("lazy").reply).succeedsWithin(Duration.ofSeconds(5)).isEqualTo("LAZY");
		});
	}

	@Test
	void twoListenersWithTheSameIdFailStartUpNamingTheId() {
		this.runner.withBean(SameId.class).run((context) -> {
			assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
				.isInstanceOf(IpcConfigurationException.class)
				.hasMessageContaining("id 'twice'")
				.hasMessageContaining("SameId.first")
				.hasMessageContaining("SameId.second");
		});
	}

	@Test
	void perListenerErrorHandlerAnswersInsteadOfTheGlobalOne() {
		this.runner.withBean(Failing.class).withUserConfiguration(ErrorHandlers.class).run((context) -> {
			InMemoryChannel channel = context.getBean("textChannel", InMemoryChannel.class);
			InMemoryChannel.Outcome outcome = channel.deliver("boom");
			assertThat(outcome.reply).succeedsWithin(Duration.ofSeconds(5)).isEqualTo("own: boom failed");
			assertThat(outcome.failure).isNotDone();
			InMemoryChannel other = context.getBean("jsonChannel", InMemoryChannel.class);
			assertThat(other.deliver("x").reply).succeedsWithin(Duration.ofSeconds(5)).isEqualTo("global: x failed");
		});
	}

	@Test
	void errorHandlerNameWithoutABeanFailsStartUpNamingTheMethodAndTheName() {
		this.runner.withBean(Failing.class).run((context) -> {
			assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
				.isInstanceOf(IpcConfigurationException.class)
				.hasMessageContaining("Failing.own")
				.hasMessageContaining("'ownErrorHandler'");
		});
	}

	@Test
	void invalidPayloadIsRejectedThroughValidationAndGoesToTheErrorHandler() {
		this.runner.withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
			.withBean(ValidOrders.class)
			.withBean("global", IpcErrorHandler.class,
					() -> (request, error) -> (error instanceof MethodArgumentNotValidException invalid)
							? "invalid: " + invalid.getBindingResult().getFieldError().getField() : "other")
			.run((context) -> {
				InMemoryChannel channel = context.getBean("jsonChannel", InMemoryChannel.class);
				assertThat(channel.deliver("{\"item\":\"tea\",\"quantity\":2}").reply)
					.succeedsWithin(Duration.ofSeconds(5))
					.isEqualTo("2 tea");
				assertThat(channel.deliver("{\"item\":\"tea\",\"quantity\":0}").reply)
					.succeedsWithin(Duration.ofSeconds(5))
					.isEqualTo("invalid: quantity");
				assertThat(context.getBean(ValidOrders.class).accepted).containsExactly("tea");
			});
	}

	@Test
	void invalidPayloadWithoutAnErrorHandlerIsOneWarnLineAndFailsThatMessage(CapturedOutput output) {
		this.runner.withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
			.withBean(ValidOrders.class)
			.run((context) -> {
				InMemoryChannel channel = context.getBean("jsonChannel", InMemoryChannel.class);
				assertThat(channel.deliver("{\"item\":\"\",\"quantity\":1}").failure)
					.succeedsWithin(Duration.ofSeconds(5))
					.isInstanceOf(MethodArgumentNotValidException.class);
			});
		// only the lines naming this class's listener: the output capture takes the whole
		// JVM's
		LogLines lines = LogLines.of(output);
		String listener = IpcListenerRegistryTests.class.getName() + "$ValidOrders.order";
		assertThat(lines.warningsMentioning(listener)).singleElement()
			.satisfies((line) -> assertThat(line).contains("rejected an invalid payload").contains("item"));
		assertThat(lines.stackTracesMentioning(listener)).isEmpty();
	}

	@Test
	void validPayloadWithoutAValidatorInTheContextFailsStartUp() {
		this.runner.withBean(ValidOrders.class).run((context) -> {
			assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
				.isInstanceOf(IpcConfigurationException.class)
				.hasMessageContaining("ValidOrders.order")
				.hasMessageContaining("Validator");
		});
	}

	@Test
	void requiredHeaderTheChannelNeverCarriesFailsStartUpNamingMethodHeaderAndChannel() {
		this.runner.withBean(NeedsUid.class).run((context) -> {
			assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
				.isInstanceOf(IpcConfigurationException.class)
				.hasMessageContaining("NeedsUid.handle")
				.hasMessageContaining("header 'ipc_peerUid'")
				.hasMessageContaining("channel 'remote'");
		});
	}

	@Test
	void optionalHeaderTheChannelNeverCarriesIsNull() {
		this.runner.withBean(MayHaveUid.class).run((context) -> {
			InMemoryChannel channel = context.getBean("remoteChannel", InMemoryChannel.class);
			assertThat(channel.deliver("x").reply).succeedsWithin(Duration.ofSeconds(5)).isEqualTo("x from null");
		});
	}

	@Test
	void optionalTypedHeaderTheChannelNeverCarriesIsEmpty() {
		this.runner.withBean(MayHaveUidOptional.class).run((context) -> {
			InMemoryChannel channel = context.getBean("remoteChannel", InMemoryChannel.class);
			assertThat(channel.deliver("x").reply).succeedsWithin(Duration.ofSeconds(5)).isEqualTo("x from nobody");
		});
	}

	@Test
	void pausedBufferingListenerKeepsTheNewestMessagesUpToTheBoundAndDeliversThemInOrder(CapturedOutput output) {
		this.runner.withBean(Buffered.class).run((context) -> {
			IpcListenerEndpointRegistry registry = context.getBean(IpcListenerEndpointRegistry.class);
			InMemoryChannel channel = context.getBean("bufferingChannel", InMemoryChannel.class);
			Buffered buffered = context.getBean(Buffered.class);
			registry.pause("buffered");
			int sent = ListenerContainer.BUFFER_LIMIT + 5;
			for (int i = 0; i < sent; i++) {
				channel.deliver(Integer.toString(i));
			}
			assertThat(buffered.received).isEmpty();
			registry.resume("buffered");
			assertThat(buffered.received).hasSize(ListenerContainer.BUFFER_LIMIT);
			assertThat(buffered.received.get(0)).isEqualTo("5");
			assertThat(buffered.received.get(ListenerContainer.BUFFER_LIMIT - 1)).isEqualTo(Integer.toString(sent - 1));
			registry.stop("buffered");
			channel.deliver("while stopped");
			registry.start("buffered");
			channel.deliver("after");
			assertThat(buffered.received).hasSize(ListenerContainer.BUFFER_LIMIT + 1).endsWith("after");
		});
		assertThat(output.getAll()).contains("Listener 'buffered' on channel 'buffering' is paused with 1000 messages"
				+ " buffered: dropped 1 message(s) so far");
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
		InMemoryChannel remoteChannel() {
			return new InMemoryChannel("remote") {
				@Override
				public Set<String> headers() {
					return Set.of(IpcHeaders.CHANNEL, SocketHeaders.REMOTE_ADDRESS);
				}
			};
		}

		@Bean
		InMemoryChannel bufferingChannel() {
			return new InMemoryChannel("buffering") {
				@Override
				public boolean blocksWhenHeld() {
					return false;
				}
			};
		}

		@Bean
		IpcChannelSource testChannels(List<InMemoryChannel> channels) {
			return () -> channels;
		}

	}

	static class Texts {

		@IpcListener("text")
		String upper(String text) {
			return text.toUpperCase();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class LazyTexts {

		@Bean
		@Lazy
		Texts lazyTexts() {
			return new Texts();
		}

	}

	static class SameId {

		@IpcListener(value = "text", id = "twice")
		void first(String text) {
		}

		@IpcListener(value = "json", id = "twice")
		void second(String text) {
		}

	}

	static class Failing {

		@IpcListener(value = "text", errorHandler = "ownErrorHandler")
		String own(String text) {
			throw new IllegalStateException(text + " failed");
		}

		@IpcListener("json")
		String global(String text) {
			throw new IllegalStateException(text + " failed");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ErrorHandlers {

		@Bean
		IpcErrorHandler ownErrorHandler() {
			return (request, error) -> "own: " + error.getMessage();
		}

		@Bean
		IpcErrorHandler globalErrorHandler() {
			return (request, error) -> "global: " + error.getMessage();
		}

	}

	record Order(@NotBlank String item, @Positive int quantity) {
	}

	static class ValidOrders {

		final List<String> accepted = new CopyOnWriteArrayList<>();

		@IpcListener("json")
		String order(@Valid Order order) {
			this.accepted.add(order.item());
			return order.quantity() + " " + order.item();
		}

	}

	static class NeedsUid {

		@IpcListener("remote")
		String handle(String text, @Header(SocketHeaders.PEER_UID) int uid) {
			return text + uid;
		}

	}

	static class MayHaveUid {

		@IpcListener("remote")
		String handle(String text, @Header(name = SocketHeaders.PEER_UID, required = false) Integer uid) {
			return text + " from " + uid;
		}

	}

	static class MayHaveUidOptional {

		@IpcListener("remote")
		String handle(String text, @Header(SocketHeaders.PEER_UID) Optional<Integer> uid) {
			return text + " from " + uid.map(String::valueOf).orElse("nobody");
		}

	}

	static class Buffered {

		final List<String> received = new CopyOnWriteArrayList<>();

		@IpcListener(value = "buffering", id = "buffered")
		void handle(String text) {
			this.received.add(text);
		}

	}

}
