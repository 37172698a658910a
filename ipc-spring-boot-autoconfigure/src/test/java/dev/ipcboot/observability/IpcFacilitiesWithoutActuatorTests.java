package dev.ipcboot.observability;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.ipcboot.internal.IpcMetrics;
import dev.ipcboot.internal.IpcResourceSource;
import dev.ipcboot.autoconfigure.IpcEndpointAutoConfiguration;
import dev.ipcboot.autoconfigure.IpcHealthContributorAutoConfiguration;
import dev.ipcboot.autoconfigure.IpcListenerAutoConfiguration;
import dev.ipcboot.autoconfigure.IpcMetricsAutoConfiguration;
import dev.ipcboot.autoconfigure.ProcessAutoConfiguration;
import dev.ipcboot.autoconfigure.SocketAutoConfiguration;
import dev.ipcboot.listener.IpcListener;
import dev.ipcboot.socket.IpcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real facilities without Actuator and Micrometer on the class path: the context starts,
 * a real server answers a real client, the facilities still offer their resources, and no
 * health or endpoint bean exists.
 */
class IpcFacilitiesWithoutActuatorTests {

	@TempDir
	Path directory;

	@Test
	void realServerAndClientWorkWithoutActuatorAndMicrometer() {
		String path = this.directory.resolve("orders.sock").toString();
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(IpcListenerAutoConfiguration.class,
					IpcMetricsAutoConfiguration.class, IpcHealthContributorAutoConfiguration.class,
					IpcEndpointAutoConfiguration.class, SocketAutoConfiguration.class, ProcessAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader("io.micrometer.", "org.springframework.boot.actuate.",
					"org.springframework.boot.health."))
			.withBean(Orders.class)
			.withPropertyValues("ipc.servers.orders.path=" + path, "ipc.clients.orders.path=" + path,
					"management.endpoints.web.exposure.include=ipc")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(IpcMetrics.class)).isSameAs(IpcMetrics.NONE);
				assertThat(context).doesNotHaveBean("ipcHealthContributor").doesNotHaveBean("ipcEndpoint");
				IpcClient client = context.getBean("ipc.clients.orders", IpcClient.class);
				assertThat(client.request("tea", String.class)).isEqualTo("accepted tea");
				assertThat(context.getBeansOfType(IpcResourceSource.class)
					.values()
					.stream()
					.flatMap((source) -> source.resources().stream())
					.map((resource) -> resource.kind() + " " + resource.name() + " " + resource.state().status()))
					.contains("local server orders UP", "local client orders UP");
			});
	}

	static class Orders {

		@IpcListener("orders")
		String order(String order) {
			return "accepted " + order;
		}

	}

}
