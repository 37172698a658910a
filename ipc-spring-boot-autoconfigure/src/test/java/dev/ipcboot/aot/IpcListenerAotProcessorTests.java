package dev.ipcboot.aot;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.BeanRegistrationAotContribution;
import org.springframework.beans.factory.aot.BeanRegistrationAotProcessor;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.RegisteredBean;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.javapoet.ClassName;
import org.springframework.messaging.handler.annotation.Header;

import dev.ipcboot.listener.IpcListener;
import dev.ipcboot.socket.IpcConnection;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code @IpcListener} methods get the hints {@code @MessageMapping} methods get: the
 * method is invocable and its payload and reply types can be bound by Jackson.
 */
class IpcListenerAotProcessorTests {

	@Test
	void listenerMethodIsInvocableAndPayloadAndReplyTypesAreBindable() {
		RuntimeHints hints = process(OrderListener.class);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(OrderListener.class, "onOrder"))
			.accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Order.class, "item")).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Receipt.class, "lines")).accepts(hints);
		// a type inside the reply's generic list
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Line.class, "text")).accepts(hints);
	}

	@Test
	void connectionAndHeaderParametersAreNotBound() {
		RuntimeHints hints = process(OrderListener.class);
		assertThat(RuntimeHintsPredicates.reflection().onType(IpcConnection.class)).rejects(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(Channel.class)).rejects(hints);
	}

	@Test
	void beanWithoutListenersContributesNothing() {
		assertThat(new IpcListenerAotProcessor().processAheadOfTime(register(String.class))).isNull();
	}

	@Test
	void processorIsListedInAotFactories() {
		assertThat(SpringFactoriesLoader.forResourceLocation("META-INF/spring/aot.factories")
			.load(BeanRegistrationAotProcessor.class)).hasAtLeastOneElementOfType(IpcListenerAotProcessor.class);
	}

	private static RuntimeHints process(Class<?> beanClass) {
		BeanRegistrationAotContribution contribution = new IpcListenerAotProcessor()
			.processAheadOfTime(register(beanClass));
		assertThat(contribution).isNotNull();
		DefaultGenerationContext context = new DefaultGenerationContext(
				new ClassNameGenerator(ClassName.get("com.example", "Test")), new InMemoryGeneratedFiles());
		contribution.applyTo(context, null);
		return context.getRuntimeHints();
	}

	private static RegisteredBean register(Class<?> beanClass) {
		DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
		beanFactory.registerBeanDefinition("bean", new RootBeanDefinition(beanClass));
		return RegisteredBean.of(beanFactory, "bean");
	}

	record Order(String item, int quantity) {
	}

	record Line(String text) {
	}

	record Receipt(List<Line> lines) {
	}

	record Channel(String name) {
	}

	static class OrderListener {

		@IpcListener("orders")
		Receipt onOrder(Order order, IpcConnection connection, @Header("ipc_channel") Channel channel) {
			return new Receipt(List.of(new Line(order.item())));
		}

	}

}
