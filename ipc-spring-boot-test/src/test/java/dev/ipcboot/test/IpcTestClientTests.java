package dev.ipcboot.test;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

import dev.ipcboot.dbus.DBusTemplate;
import dev.ipcboot.listener.IpcListener;
import dev.ipcboot.semaphore.SystemSemaphore;
import dev.ipcboot.shm.SharedMemory;
import dev.ipcboot.socket.IpcServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * An application configured with {@code @IpcTest}'s properties, tested through
 * {@link IpcTestClient}: JSON over a local socket in the test's directory, text over
 * length-prefixed TCP, pushes, bad input, unique keys and the private bus.
 */
@IpcTest(bus = true)
@SpringBootTest(classes = IpcTestClientTests.App.class,
		properties = { "ipc.servers.orders.path=${ipc.test.dir}/orders.sock", "ipc.servers.orders.framing=line",
				"ipc.servers.orders.max-message-size=64", "ipc.servers.admin.transport=tcp", "ipc.servers.admin.port=0",
				"ipc.servers.admin.framing=length-prefixed", "ipc.shared-memory.frames.key=${ipc.test.id}-frames",
				"ipc.shared-memory.frames.size=4KB", "ipc.semaphores.jobs.key=${ipc.test.id}-jobs",
				"ipc.dbus.bus=${ipc.test.bus-address}" })
class IpcTestClientTests {

	@Autowired
	ApplicationContext context;

	@Test
	void jsonRequestOnALocalChannelInTheTestDirectoryGetsTheListenersReply(IpcTestResources resources) {
		assertThat(resources.socket("orders")).exists();
		try (IpcTestClient orders = IpcTestClient.connect(this.context, "orders")) {
			Receipt receipt = orders.request(new Order("tea", 2), Receipt.class);
			assertThat(receipt).isEqualTo(new Receipt("tea", 2, "accepted"));
		}
	}

	@Test
	void textRequestOnALengthPrefixedTcpChannel() {
		try (IpcTestClient admin = IpcTestClient.connect(this.context, "admin")) {
			assertThat(admin.request("status", String.class)).isEqualTo("up");
			assertThat(admin.request("status".getBytes())).isEqualTo("up".getBytes());
		}
	}

	@Test
	void pushesFromTheServerAreReceived(@Autowired @Qualifier("orders") IpcServer orders) {
		try (IpcTestClient client = IpcTestClient.connect(this.context, "orders")) {
			// the server knows the connection once a message went through it
			client.request(new Order("tea", 1), Receipt.class);
			assertThat(orders.broadcast("closing soon")).isEqualTo(1);
			assertThat(client.receive(String.class)).isEqualTo("closing soon");
		}
	}

	@Test
	void frameOverMaxMessageSizeClosesTheConnectionAndTheChannelServesTheNext() {
		try (IpcTestClient client = IpcTestClient.connect(this.context, "orders")) {
			client.sendUnframed(("x".repeat(100) + "\n").getBytes());
			client.awaitClosedByChannel();
			assertThatExceptionOfType(AssertionError.class).isThrownBy(client::receive)
				.withMessageContaining("closed the connection");
		}
		try (IpcTestClient client = IpcTestClient.connect(this.context, "orders")) {
			assertThat(client.request(new Order("jam", 1), Receipt.class).status()).isEqualTo("accepted");
		}
	}

	@Test
	void noReplyWithinTheTimeoutFailsNamingTheChannel() {
		try (IpcTestClient client = IpcTestClient.connect(this.context, "orders")
			.withTimeout(java.time.Duration.ofMillis(200))) {
			assertThatExceptionOfType(AssertionError.class).isThrownBy(client::receive)
				.withMessageContaining("No message on channel 'orders'");
		}
	}

	@Test
	void unknownChannelFailsNamingTheConfiguredOnes() {
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> IpcTestClient.connect(this.context, "nope"))
			.withMessageContaining("'nope'")
			.withMessageContaining("ipc.servers.orders");
	}

	@Test
	void keysAreUniqueAndTheBusIsTheTestsOwn(IpcTestResources resources, @Autowired Environment environment,
			@Autowired @Qualifier("frames") SharedMemory frames, @Autowired @Qualifier("jobs") SystemSemaphore jobs,
			@Autowired DBusTemplate template) {
		assertThat(frames.key()).isEqualTo(resources.key("frames")).startsWith("ipct-" + ProcessHandle.current().pid());
		assertThat(jobs.key()).isEqualTo(resources.key("jobs"));
		assertThat(Path.of("/dev/shm", resources.key("frames"))).satisfiesAnyOf((path) -> assertThat(path).exists(),
				(path) -> assertThat(frames.nativeKey()).contains(resources.id()));
		assertThat(environment.getProperty("ipc.dbus.bus")).isEqualTo(resources.busAddress());
		assertThat(template.call("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "GetId", "")
			.get(0)).isNotNull();
		assertThat(resources.busAddress()).contains(resources.directory().toString());
		assertThat(Files.isDirectory(resources.directory())).isTrue();
	}

	record Order(String item, int quantity) {
	}

	record Receipt(String item, int quantity, String status) {
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

		@Bean
		Desk desk() {
			return new Desk();
		}

	}

	static class Desk {

		@IpcListener("orders")
		Receipt order(Order order) {
			return new Receipt(order.item(), order.quantity(), "accepted");
		}

		@IpcListener("admin")
		String admin(String command) {
			return command.equals("status") ? "up" : "unknown command";
		}

	}

}
