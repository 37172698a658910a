package dev.ipcboot.observability;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.ipcboot.autoconfigure.IpcHealthContributorAutoConfiguration;
import dev.ipcboot.autoconfigure.IpcListenerAutoConfiguration;
import dev.ipcboot.autoconfigure.IpcMetricsAutoConfiguration;
import dev.ipcboot.health.IpcHealthContributor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code ipc} health contributor: one indicator per resource, grouped by kind, with
 * the resource's status and details; switched off by property or by the absence of
 * Actuator's health module.
 */
class IpcHealthContributorAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(IpcListenerAutoConfiguration.class, IpcMetricsAutoConfiguration.class,
				IpcHealthContributorAutoConfiguration.class))
		.withUserConfiguration(FakeFacility.class);

	@Test
	void eachResourceHasAnIndicatorUnderItsKind() {
		this.runner.run((context) -> {
			IpcHealthContributor ipc = context.getBean("ipcHealthContributor", IpcHealthContributor.class);
			assertThat(ipc.stream().map(CompositeHealthContributor.Entry::name)).containsExactly("local-server",
					"process");
			Health orders = health(context, "local-server", "orders");
			assertThat(orders.getStatus()).isEqualTo(Status.UP);
			assertThat(orders.getDetails()).containsEntry("kind", "local server")
				.containsEntry("path", "/run/test/orders.sock")
				.containsEntry("connections", 0);
			assertThat(health(context, "process", "worker").getDetails()).containsEntry("pid", 4242);
		});
	}

	@Test
	void aFailedServerIsDownWithItsReason() {
		this.runner.run((context) -> {
			context.getBean(FakeServer.class).fail("could not bind: address in use");
			Health orders = health(context, "local-server", "orders");
			assertThat(orders.getStatus()).isEqualTo(Status.DOWN);
			assertThat(orders.getDetails()).containsEntry("reason", "could not bind: address in use");
		});
	}

	@Test
	void aRestartingProcessIsOutOfServiceAndOneThatGaveUpIsDown() {
		this.runner.run((context) -> {
			FakeProcess worker = context.getBean(FakeProcess.class);
			worker.restarting();
			assertThat(health(context, "process", "worker").getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
			worker.gaveUp();
			Health health = health(context, "process", "worker");
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.getDetails()).containsEntry("restarts", 5);
			worker.running();
			assertThat(health(context, "process", "worker").getStatus()).isEqualTo(Status.UP);
		});
	}

	@Test
	void withoutResourcesTheHealthEndpointStillAnswersUp() {
		ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(
				HealthContributorAutoConfiguration.class, HealthContributorRegistryAutoConfiguration.class,
				HealthEndpointAutoConfiguration.class, IpcHealthContributorAutoConfiguration.class));
		// something configured, but no resource yet
		runner.withPropertyValues("ipc.shared-memory.enabled=true").run((context) -> {
			assertThat(context).hasSingleBean(IpcHealthContributor.class);
			HealthDescriptor health = context.getBean(HealthEndpoint.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
		});
		// nothing configured: no contributor of ours at all
		runner.run((context) -> {
			assertThat(context).doesNotHaveBean(IpcHealthContributor.class);
			assertThat(context.getBean(HealthEndpoint.class).health().getStatus()).isEqualTo(Status.UP);
		});
	}

	@Test
	void disabledByManagementHealthIpcEnabled() {
		this.runner.withPropertyValues("management.health.ipc.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(IpcHealthContributor.class));
	}

	@Test
	void absentWithoutActuatorsHealthModule() {
		this.runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.health."))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean("ipcHealthContributor"));
	}

	private static Health health(AssertableApplicationContext context, String kind, String name) {
		IpcHealthContributor ipc = context.getBean(IpcHealthContributor.class);
		HealthContributor group = ipc.getContributor(kind);
		assertThat(group).isInstanceOf(CompositeHealthContributor.class);
		HealthContributor indicator = ((CompositeHealthContributor) group).getContributor(name);
		assertThat(indicator).isInstanceOf(HealthIndicator.class);
		return ((HealthIndicator) indicator).health();
	}

}
