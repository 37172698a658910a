package dev.ipcboot.observability;

import java.util.List;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.ipcboot.internal.IpcMetrics;
import dev.ipcboot.internal.IpcResourceSource;
import dev.ipcboot.listener.IpcChannelSource;
import dev.ipcboot.listener.IpcListener;

/**
 * A facility of our own SPI, wired the way a real one is: one channel source, one
 * resource source, the metrics facade injected; and a listener on its server.
 */
@Configuration(proxyBeanMethods = false)
class FakeFacility {

	@Bean
	FakeServer ordersServer(IpcMetrics metrics) {
		return new FakeServer("orders", metrics);
	}

	@Bean
	FakeProcess workerProcess() {
		return new FakeProcess("worker");
	}

	@Bean
	IpcChannelSource fakeChannels(FakeServer server) {
		return () -> List.of(server);
	}

	@Bean
	IpcResourceSource fakeResources(FakeServer server, FakeProcess process) {
		return () -> List.of(server, process);
	}

	@Bean
	Orders orders() {
		return new Orders();
	}

	static class Orders {

		@IpcListener("orders")
		String handle(String order) {
			if (order.equals("bad")) {
				throw new IllegalArgumentException("bad order");
			}
			return "accepted " + order;
		}

	}

}
