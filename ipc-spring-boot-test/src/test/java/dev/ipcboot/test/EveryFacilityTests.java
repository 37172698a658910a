package dev.ipcboot.test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;

import dev.ipcboot.dbus.DBusExport;
import dev.ipcboot.dbus.DBusTemplate;
import dev.ipcboot.listener.IpcListener;
import dev.ipcboot.semaphore.SystemSemaphore;
import dev.ipcboot.shm.SharedMemory;
import dev.ipcboot.socket.IpcClient;
import dev.ipcboot.socket.IpcServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An application with every facility configured on {@code @IpcTest}'s resources, each
 * used once: a local and a TCP server, a requesting and a subscribing client, shared
 * memory, a semaphore, an exported D-Bus object called through a remote proxy, a D-Bus
 * signal channel and a process's output channel. CI runs it a second time processed ahead
 * of time ({@code -Paot}, {@code spring.aot.enabled=true}), where it shows that the
 * generated code starts every facility (docs/aot.md).
 */
@IpcTest(bus = true)
@SpringBootTest(classes = EveryFacilityTests.App.class,
		properties = { "ipc.servers.orders.path=${ipc.test.dir}/orders.sock", "ipc.servers.orders.framing=line",
				"ipc.servers.admin.transport=tcp", "ipc.servers.admin.port=0",
				"ipc.servers.admin.framing=length-prefixed", "ipc.clients.desk.path=${ipc.test.dir}/orders.sock",
				"ipc.clients.desk.framing=line", "ipc.clients.feed.path=${ipc.test.dir}/orders.sock",
				"ipc.clients.feed.framing=line", "ipc.clients.feed.subscribe=true",
				"ipc.shared-memory.board.key=${ipc.test.id}-board", "ipc.shared-memory.board.size=4KB",
				"ipc.semaphores.slots.key=${ipc.test.id}-slots", "ipc.semaphores.slots.initial-value=2",
				"ipc.dbus.bus=${ipc.test.bus-address}", "ipc.dbus.service-name=dev.ipcboot.EveryFacility",
				"ipc.dbus.signals.pings.interface=dev.ipcboot.test.Ping", "ipc.dbus.signals.pings.member=Ping",
				"ipc.processes.hello.command=/bin/echo,hello from a child", "ipc.processes.hello.restart=never" })
class EveryFacilityTests {

	@Autowired
	Listeners listeners;

	@Test
	void socketsClientsAndPushes(@Autowired @Qualifier("desk") IpcClient desk,
			@Autowired @Qualifier("orders") IpcServer orders,
			@Autowired org.springframework.context.ApplicationContext context) {
		assertThat(desk.request("tea", String.class)).isEqualTo("order: tea");
		try (IpcTestClient admin = IpcTestClient.connect(context, "admin")) {
			assertThat(admin.request("status", String.class)).isEqualTo("up");
		}
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			orders.broadcast("news");
			assertThat(this.listeners.feed).contains("news");
		});
	}

	@Test
	void sharedMemoryAndSemaphore(@Autowired @Qualifier("board") SharedMemory board,
			@Autowired @Qualifier("slots") SystemSemaphore slots) {
		board.withLock(() -> board.write(0, "hello".getBytes(StandardCharsets.UTF_8)));
		assertThat(new String(board.read(0, 5), StandardCharsets.UTF_8)).isEqualTo("hello");
		assertThat(slots.tryAcquire(Duration.ofSeconds(5))).isTrue();
		slots.release();
		assertThat(slots.value()).isEqualTo(2);
	}

	@Test
	void dbusExportRemoteProxyAndSignal(@Autowired DBusTemplate template) {
		Greeter greeter = template.remote("dev.ipcboot.EveryFacility", "/greeter", Greeter.class);
		assertThat(greeter.Greet("Ada")).isEqualTo("hello, Ada");
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			template.emit("/ping", "dev.ipcboot.test.Ping", "Ping", "s", "ping");
			assertThat(this.listeners.pings).contains("ping");
		});
	}

	@Test
	void processOutputReachesItsListener() {
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.listeners.output).contains("hello from a child"));
	}

	@DBusInterfaceName("dev.ipcboot.test.Greeter")
	public interface Greeter extends DBusInterface {

		String Greet(String name);

	}

	@DBusExport(path = "/greeter")
	static class GreeterBean implements Greeter {

		@Override
		public String Greet(String name) {
			return "hello, " + name;
		}

		@Override
		public String getObjectPath() {
			return "/greeter";
		}

	}

	static class Listeners {

		final List<String> feed = new CopyOnWriteArrayList<>();

		final List<String> pings = new CopyOnWriteArrayList<>();

		final List<String> output = new CopyOnWriteArrayList<>();

		@IpcListener("orders")
		String order(String item) {
			return "order: " + item;
		}

		@IpcListener("admin")
		String admin(String command) {
			return "status".equals(command) ? "up" : "unknown";
		}

		@IpcListener("feed")
		void feed(String news) {
			this.feed.add(news);
		}

		@IpcListener("pings")
		void ping(String text) {
			this.pings.add(text);
		}

		@IpcListener("hello")
		void output(String line) {
			this.output.add(line);
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

		@Bean
		Listeners listeners() {
			return new Listeners();
		}

		@Bean
		GreeterBean greeter() {
			return new GreeterBean();
		}

	}

}
