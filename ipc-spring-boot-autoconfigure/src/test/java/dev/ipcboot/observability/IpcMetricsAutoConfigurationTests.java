package dev.ipcboot.observability;

import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.ipcboot.internal.IpcMetrics;
import dev.ipcboot.autoconfigure.IpcEndpointAutoConfiguration;
import dev.ipcboot.autoconfigure.IpcHealthContributorAutoConfiguration;
import dev.ipcboot.autoconfigure.IpcListenerAutoConfiguration;
import dev.ipcboot.autoconfigure.IpcMetricsAutoConfiguration;
import dev.ipcboot.internal.metrics.MicrometerIpcMetrics;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link IpcMetrics} bean: Micrometer-backed with a meter registry, none without one,
 * the application's own when it defines one, and nothing of observability needed at run
 * time.
 */
class IpcMetricsAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(IpcListenerAutoConfiguration.class, IpcMetricsAutoConfiguration.class,
				IpcHealthContributorAutoConfiguration.class, IpcEndpointAutoConfiguration.class))
		.withUserConfiguration(FakeFacility.class)
		.withPropertyValues("management.endpoints.web.exposure.include=ipc");

	@Test
	void withoutMeterRegistryTheFacadeRecordsNothing() {
		this.runner.run((context) -> assertThat(context.getBean(IpcMetrics.class)).isSameAs(IpcMetrics.NONE));
	}

	@Test
	void withMeterRegistryEveryMessageAndInvocationIsCounted() {
		this.runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run((context) -> {
			assertThat(context.getBean(IpcMetrics.class)).isInstanceOf(MicrometerIpcMetrics.class);
			FakeServer server = context.getBean(FakeServer.class);
			int n = 5;
			for (int i = 0; i < n; i++) {
				assertThat(server.deliver("tea")).succeedsWithin(Duration.ofSeconds(5)).isEqualTo("accepted tea");
			}
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("ipc.messages").tags("channel", "orders", "direction", "in").counter().count())
				.isEqualTo(n);
			assertThat(registry.get("ipc.messages").tags("channel", "orders", "direction", "out").counter().count())
				.isEqualTo(n);
			assertThat(registry.get("ipc.bytes").tags("channel", "orders", "direction", "in").counter().count())
				.isEqualTo(3.0 * n);
			assertThat(registry.get("ipc.bytes").tags("channel", "orders", "direction", "out").counter().count())
				.isEqualTo("accepted tea".length() * n);
			assertThat(registry.get("ipc.listener").tags("channel", "orders", "outcome", "success").timer().count())
				.isEqualTo(n);
			assertThat(registry.get("ipc.listener.errors").tag("channel", "orders").counter().count()).isZero();
		});
	}

	@Test
	void aListenerThatThrowsIsCountedAsAnErrorAndFailsOnlyThatMessage() {
		this.runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run((context) -> {
			FakeServer server = context.getBean(FakeServer.class);
			assertThat(server.deliver("bad")).failsWithin(Duration.ofSeconds(5));
			assertThat(server.deliver("tea")).succeedsWithin(Duration.ofSeconds(5));
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("ipc.listener.errors").tag("channel", "orders").counter().count()).isEqualTo(1);
			assertThat(registry.get("ipc.listener").tags("channel", "orders", "outcome", "error").timer().count())
				.isEqualTo(1);
			assertThat(registry.get("ipc.listener").tags("channel", "orders", "outcome", "success").timer().count())
				.isEqualTo(1);
			assertThat(registry.get("ipc.connection.failures")
				.tags("channel", "orders", "reason", "listener-error")
				.counter()
				.count()).isEqualTo(1);
		});
	}

	@Test
	void applicationMetricsBeanBacksTheStarterOff() {
		IpcMetrics own = new IpcMetrics() {
		};
		this.runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withBean(IpcMetrics.class, () -> own)
			.run((context) -> assertThat(context.getBean(IpcMetrics.class)).isSameAs(own));
	}

	@Test
	void withoutActuatorAndMicrometerTheContextStartsAndListenersStillReply() {
		this.runner.withBean(SimpleMeterRegistry.class, SimpleMeterRegistry::new)
			.withClassLoader(new FilteredClassLoader("io.micrometer.", "org.springframework.boot.actuate.",
					"org.springframework.boot.health."))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(IpcMetrics.class)).isSameAs(IpcMetrics.NONE);
				assertThat(context).doesNotHaveBean("ipcHealthContributor").doesNotHaveBean("ipcEndpoint");
				assertThat(context.getBean(FakeServer.class).deliver("tea")).succeedsWithin(Duration.ofSeconds(5))
					.isEqualTo("accepted tea");
			});
	}

}
