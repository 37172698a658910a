package dev.ipcboot.observability;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.ipcboot.IpcResourceStatus;
import dev.ipcboot.actuate.IpcEndpoint;
import dev.ipcboot.actuate.IpcEndpoint.ChannelDescriptor;
import dev.ipcboot.actuate.IpcEndpoint.IpcDescriptor;
import dev.ipcboot.actuate.IpcEndpoint.ResourceDescriptor;
import dev.ipcboot.autoconfigure.IpcEndpointAutoConfiguration;
import dev.ipcboot.autoconfigure.IpcListenerAutoConfiguration;
import dev.ipcboot.autoconfigure.IpcMetricsAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The {@code ipc} endpoint: present when exposed, and it lists every channel with its
 * listeners and every resource with its state.
 */
class IpcEndpointTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(IpcListenerAutoConfiguration.class, IpcMetricsAutoConfiguration.class,
				IpcEndpointAutoConfiguration.class))
		.withUserConfiguration(FakeFacility.class);

	@Test
	void absentUnlessExposed() {
		this.runner.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(IpcEndpoint.class));
	}

	@Test
	void listsEveryChannelWithItsListenersAndState() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=ipc").run((context) -> {
			IpcDescriptor ipc = context.getBean(IpcEndpoint.class).ipc();
			assertThat(ipc.channels()).containsOnlyKeys("orders");
			ChannelDescriptor orders = ipc.channels().get("orders");
			assertThat(orders.kind()).isEqualTo("local server");
			assertThat(orders.property()).isEqualTo("ipc.servers.orders");
			assertThat(orders.listeners()).containsExactly(FakeFacility.Orders.class.getName() + ".handle(String)");
			assertThat(orders.status()).isEqualTo(IpcResourceStatus.UP);
			assertThat(orders.details()).containsEntry("path", "/run/test/orders.sock");
		});
	}

	@Test
	void listsEveryResourceWithItsLiveState() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=ipc").run((context) -> {
			context.getBean(FakeProcess.class).gaveUp();
			IpcDescriptor ipc = context.getBean(IpcEndpoint.class).ipc();
			assertThat(ipc.resources()).extracting(ResourceDescriptor::kind, ResourceDescriptor::name)
				.containsExactly(tuple("local server", "orders"), tuple("process", "worker"));
			ResourceDescriptor worker = ipc.resources().get(1);
			assertThat(worker.status()).isEqualTo(IpcResourceStatus.DOWN);
			assertThat(worker.reason()).contains("after 5 restarts");
			assertThat(worker.details()).containsEntry("restarts", 5);
		});
	}

	@Test
	void oneNameSelectsItsChannelAndResourcesAndAnUnknownNameIsNotFound() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=ipc").run((context) -> {
			IpcEndpoint endpoint = context.getBean(IpcEndpoint.class);
			IpcDescriptor worker = endpoint.named("worker");
			assertThat(worker).isNotNull();
			assertThat(worker.channels()).isEmpty();
			assertThat(worker.resources()).extracting(ResourceDescriptor::name).containsExactly("worker");
			IpcDescriptor orders = endpoint.named("orders");
			assertThat(orders).isNotNull();
			assertThat(orders.channels()).containsOnlyKeys("orders");
			assertThat(endpoint.named("nonexistent")).isNull();
		});
	}

}
