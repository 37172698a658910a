package com.example.desk;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;

import dev.ipcboot.listener.IpcListener;
import dev.ipcboot.shm.SharedMemory;
import dev.ipcboot.socket.IpcServer;
import dev.ipcboot.test.IpcTest;
import dev.ipcboot.test.IpcTestClient;
import dev.ipcboot.test.IpcTestResources;

import static org.assertj.core.api.Assertions.assertThat;

@IpcTest(bus = true)
@SpringBootTest(properties = { "ipc.servers.orders.path=${ipc.test.dir}/orders.sock", "ipc.servers.orders.framing=line",
		"ipc.servers.admin.transport=tcp", "ipc.servers.admin.port=0", "ipc.servers.admin.framing=length-prefixed",
		"ipc.shared-memory.board.key=${ipc.test.id}-board", "ipc.shared-memory.board.size=4KB",
		"ipc.dbus.bus=${ipc.test.bus-address}" })
class OrderDeskTests {

	@Autowired
	ApplicationContext context;

	@Test
	void orderOverTheLocalSocketGetsAReceipt() {
		try (IpcTestClient orders = IpcTestClient.connect(this.context, "orders")) {
			Receipt receipt = orders.request(new Order("tea", 2), Receipt.class);
			assertThat(receipt.status()).isEqualTo("accepted");
		}
	}

	@Test
	void adminCommandOverTcp() {
		try (IpcTestClient admin = IpcTestClient.connect(this.context, "admin")) {
			assertThat(admin.request("status", String.class)).isEqualTo("open");
		}
	}

	@Test
	void pushReachesAConnectedClient(@Autowired @Qualifier("orders") IpcServer server) {
		try (IpcTestClient orders = IpcTestClient.connect(this.context, "orders")) {
			orders.request(new Order("jam", 1), Receipt.class);
			server.broadcast("closing at six");
			assertThat(orders.receive(String.class)).isEqualTo("closing at six");
		}
	}

	@Test
	void segmentHasTheTestsOwnKey(IpcTestResources resources, @Autowired @Qualifier("board") SharedMemory board) {
		assertThat(board.key()).isEqualTo(resources.key("board"));
	}

	record Order(String item, int quantity) {
	}

	record Receipt(String item, int quantity, String status) {
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class DeskApplication {

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
			return "status".equals(command) ? "open" : "unknown command: " + command;
		}

	}

}
