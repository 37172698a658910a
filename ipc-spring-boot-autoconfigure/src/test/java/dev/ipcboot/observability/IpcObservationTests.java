package dev.ipcboot.observability;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.ipcboot.internal.IpcInvocationMetrics;
import dev.ipcboot.internal.IpcMetrics;
import dev.ipcboot.autoconfigure.IpcListenerAutoConfiguration;
import dev.ipcboot.autoconfigure.IpcMetricsAutoConfiguration;
import dev.ipcboot.internal.metrics.InvocationInstrumentation;
import dev.ipcboot.listener.IpcListener;
import dev.ipcboot.observation.DefaultIpcListenerObservationConvention;
import dev.ipcboot.observation.IpcListenerObservationContext;
import dev.ipcboot.observation.IpcListenerObservationConvention;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Observations of listener invocations: off unless {@code ipc.observation.enabled}, then
 * one observation per invocation (with its error), named by a convention the application
 * can replace.
 */
class IpcObservationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(IpcListenerAutoConfiguration.class, IpcMetricsAutoConfiguration.class))
		.withUserConfiguration(FakeFacility.class, Observations.class);

	@Test
	void offByDefaultSoInvocationsAreTimedWithoutObservations() {
		this.runner.run((context) -> {
			assertThat(context).doesNotHaveBean(InvocationInstrumentation.class);
			assertThat(context.getBean(FakeServer.class).deliver("tea")).succeedsWithin(Duration.ofSeconds(5));
			assertThat(context.getBean(Recorder.class).stopped).isEmpty();
			assertThat(context.getBean(MeterRegistry.class)
				.get("ipc.listener")
				.tags("channel", "orders", "outcome", "success")
				.timer()
				.count()).isEqualTo(1);
		});
	}

	@Test
	void whenEnabledEachInvocationIsObservedWithItsChannelAndError() {
		this.runner.withPropertyValues("ipc.observation.enabled=true").run((context) -> {
			FakeServer server = context.getBean(FakeServer.class);
			int n = 4;
			for (int i = 0; i < n; i++) {
				assertThat(server.deliver("tea")).succeedsWithin(Duration.ofSeconds(5));
			}
			assertThat(server.deliver("bad")).failsWithin(Duration.ofSeconds(5));
			List<IpcListenerObservationContext> stopped = context.getBean(Recorder.class).stopped;
			assertThat(stopped).hasSize(n + 1);
			assertThat(stopped).allSatisfy((observed) -> {
				assertThat(observed.getChannel()).isEqualTo("orders");
				assertThat(observed.getContextualName()).isEqualTo("orders receive");
				assertThat(observed.getHighCardinalityKeyValue("ipc.connection.id").getValue()).isEqualTo("test-1");
			});
			assertThat(stopped.get(n).getError()).hasMessage("bad order");
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("ipc.listener").tag("ipc.channel", "orders").tag("error", "none").timer().count())
				.isEqualTo(n);
			assertThat(registry.get("ipc.listener.errors").tag("channel", "orders").counter().count()).isEqualTo(1);
			assertThat(registry.find("ipc.listener").tag("outcome", "success").timer())
				.as("not timed twice: the observation is the timer")
				.isNull();
		});
	}

	@Test
	void anApplicationConventionReplacesTheDefault() {
		this.runner.withPropertyValues("ipc.observation.enabled=true")
			.withBean(IpcListenerObservationConvention.class, () -> new DefaultIpcListenerObservationConvention() {

				@Override
				public String getName() {
					return "orders.handled";
				}

			})
			.run((context) -> {
				assertThat(context.getBean(FakeServer.class).deliver("tea")).succeedsWithin(Duration.ofSeconds(5));
				assertThat(context.getBean(MeterRegistry.class)
					.get("orders.handled")
					.tag("ipc.channel", "orders")
					.timer()
					.count()).isEqualTo(1);
			});
	}

	@Test
	void theListenerRunsInsideItsObservationSoThatSpansNest() {
		this.runner.withPropertyValues("ipc.observation.enabled=true")
			.withBean(CurrentObservationCapture.class)
			.run((context) -> {
				assertThat(context.getBean(FakeServer.class).deliver("tea")).succeedsWithin(Duration.ofSeconds(5));
				Observation.Context current = context.getBean(CurrentObservationCapture.class).seen.get(0);
				assertThat(current).isInstanceOf(IpcListenerObservationContext.class);
				assertThat(((IpcListenerObservationContext) current).getListener())
					.as("each listener of a channel is observed under its own name")
					.endsWith("CurrentObservationCapture.capture(String)");
				assertThat(context.getBean(ObservationRegistry.class).getCurrentObservation())
					.as("scope closed after the invocation")
					.isNull();
			});
	}

	@Test
	void whenEnabledClientRequestsAreObservedToo() {
		this.runner.withPropertyValues("ipc.observation.enabled=true").run((context) -> {
			IpcInvocationMetrics client = context.getBean(IpcMetrics.class).client("desk", "tcp");
			client.start(null).success();
			client.start(null).failure(new IllegalStateException("server gone"));
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("ipc.client").tags("ipc.client", "desk", "ipc.transport", "tcp").timers())
				.extracting((timer) -> timer.getId().getTag("error"))
				.containsExactlyInAnyOrder("none", "IllegalStateException");
		});
	}

	static class CurrentObservationCapture {

		final List<Observation.Context> seen = new CopyOnWriteArrayList<>();

		private final ObservationRegistry registry;

		CurrentObservationCapture(ObservationRegistry registry) {
			this.registry = registry;
		}

		@IpcListener("orders")
		void capture(String order) {
			Observation current = this.registry.getCurrentObservation();
			if (current != null) {
				this.seen.add(current.getContext());
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Observations {

		@Bean
		MeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

		@Bean
		Recorder recorder() {
			return new Recorder();
		}

		@Bean
		ObservationRegistry observationRegistry(MeterRegistry meterRegistry, Recorder recorder) {
			ObservationRegistry registry = ObservationRegistry.create();
			registry.observationConfig()
				.observationHandler(new DefaultMeterObservationHandler(meterRegistry))
				.observationHandler(recorder);
			return registry;
		}

	}

	static class Recorder implements ObservationHandler<IpcListenerObservationContext> {

		final List<IpcListenerObservationContext> stopped = new CopyOnWriteArrayList<>();

		@Override
		public void onStop(IpcListenerObservationContext context) {
			this.stopped.add(context);
		}

		@Override
		public boolean supportsContext(Observation.Context context) {
			return context instanceof IpcListenerObservationContext;
		}

	}

}
