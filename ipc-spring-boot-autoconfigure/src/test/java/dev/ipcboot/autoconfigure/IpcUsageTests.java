package dev.ipcboot.autoconfigure;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

import dev.ipcboot.IpcConfigurationException;
import dev.ipcboot.internal.IpcMetrics;
import dev.ipcboot.listener.IpcListener;
import dev.ipcboot.listener.IpcListenerEndpointRegistry;
import dev.ipcboot.session.SessionShutdownEvent;
import dev.ipcboot.session.internal.SessionEventPublisher;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which infrastructure of ours an application gets for what it asks for (ADR 0011,
 * session 8): nothing without an {@code ipc} property, a listener method, an export or a
 * session listener; the listener infrastructure for an {@code @IpcListener} method (so
 * that one naming an unknown channel still fails start-up); the session facility for a
 * listener of a session event. The child-JVM side of it is
 * {@code NothingConfiguredStartupTests}.
 */
class IpcUsageTests {

	private static final Class<?>[] OUR_AUTO_CONFIGURATIONS = { IpcListenerAutoConfiguration.class,
			SocketAutoConfiguration.class, SharedMemoryAutoConfiguration.class, SemaphoreAutoConfiguration.class,
			DBusAutoConfiguration.class, ProcessAutoConfiguration.class, SessionAutoConfiguration.class,
			IpcMetricsAutoConfiguration.class, IpcHealthContributorAutoConfiguration.class,
			IpcEndpointAutoConfiguration.class, HttpAutoConfiguration.class };

	@Test
	void listenerMethodOnAnUnknownChannelWithNothingConfiguredStillFailsStartUpNamingIt() {
		ApplicationContextRunner runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(OUR_AUTO_CONFIGURATIONS));
		// declared by a @Bean method (found from its return type) and registered by class
		runner.withUserConfiguration(UnknownChannelConfiguration.class).run(this::failedNamingTheListener);
		runner.withBean(UnknownChannelListener.class).run(this::failedNamingTheListener);
	}

	private void failedNamingTheListener(AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		assertThat(context.getStartupFailure()).isInstanceOf(IpcConfigurationException.class)
			.hasMessageContaining("UnknownChannelListener.onOrder(String)")
			.hasMessageContaining("channel 'orders' is not configured; known channels: none");
	}

	@Test
	void listenerMethodsOrASessionListenerRegisterOnlyTheInfrastructureTheyAskFor() {
		ApplicationContextRunner runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(OUR_AUTO_CONFIGURATIONS))
			.withPropertyValues("ipc.session.logind.enabled=false", "NOTIFY_SOCKET=");
		runner.run((context) -> assertThat(context).hasNotFailed()
			.doesNotHaveBean(IpcListenerEndpointRegistry.class)
			.doesNotHaveBean("ipcListenerAnnotationBeanPostProcessor")
			.doesNotHaveBean(IpcMetrics.class)
			.doesNotHaveBean(SessionEventPublisher.class));
		runner.withBean(ShutdownListener.class)
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(SessionEventPublisher.class)
				.doesNotHaveBean(IpcListenerEndpointRegistry.class));
		runner.withPropertyValues("ipc.shared-memory.enabled=true")
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(IpcListenerEndpointRegistry.class)
				.hasSingleBean(IpcMetrics.class)
				.doesNotHaveBean(SessionEventPublisher.class));
	}

	@Test
	void theTypesTheLookNamesAsStringsExist() {
		// the look names them as strings so as not to load them; a moved type must fail
		// here
		assertThat(IpcUsage.IPC_LISTENER).isEqualTo(IpcListener.class.getName());
		assertThat(IpcUsage.DBUS_EXPORT).isEqualTo(dev.ipcboot.dbus.DBusExport.class.getName());
		assertThat(IpcUsage.SESSION_EVENT).isEqualTo(dev.ipcboot.session.SessionEvent.class.getName());
		assertThat(IpcUsage.FACILITY_SPI).containsExactly(dev.ipcboot.listener.IpcChannelSource.class.getName());
	}

	@Test
	void aBeanOfTheInternalResourceSourceTypeDoesNotAskForHealthAndMetricsButAChannelSourceOfTheApplicationsOwnDoes() {
		// IpcResourceSource is internal (ADR 0019): nothing outside the starter
		// implements
		// it, so a bean of that type is not an application asking for the infrastructure;
		// our ad-hoc process manager declares one and must not switch it on either
		ApplicationContextRunner runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(OUR_AUTO_CONFIGURATIONS));
		runner.run((context) -> assertThat(context).hasNotFailed()
			.hasBean("ipcProcessResources")
			.doesNotHaveBean(IpcMetrics.class));
		runner.withBean("ownResources", dev.ipcboot.internal.IpcResourceSource.class, () -> java.util.List::of)
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(IpcMetrics.class)
				.doesNotHaveBean(IpcListenerEndpointRegistry.class));
		runner.withBean("ownChannels", dev.ipcboot.listener.IpcChannelSource.class, () -> java.util.List::of)
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(IpcMetrics.class)
				.hasSingleBean(IpcListenerEndpointRegistry.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class UnknownChannelConfiguration {

		@Bean
		UnknownChannelListener orders() {
			return new UnknownChannelListener();
		}

	}

	static class UnknownChannelListener {

		@IpcListener("orders")
		void onOrder(String order) {
		}

	}

	static class ShutdownListener {

		@EventListener
		void save(SessionShutdownEvent event) {
		}

	}

}
