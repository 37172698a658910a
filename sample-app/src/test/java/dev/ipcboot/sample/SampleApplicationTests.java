package dev.ipcboot.sample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;

import dev.ipcboot.process.ManagedProcess;
import dev.ipcboot.process.ProcessManager;
import dev.ipcboot.test.IpcTest;
import dev.ipcboot.test.IpcTestClient;
import dev.ipcboot.test.IpcTestResources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The order desk as the README describes it: a JSON order over the local socket, an admin
 * command over TCP, the invoice worker running; and nothing left behind after it stops.
 * The socket file and keys are the {@link IpcTest} class's own; the peers are
 * {@link IpcTestClient}s.
 */
@IpcTest
class SampleApplicationTests {

	@TempDir
	Path dir;

	@Test
	void orderDeskAnswersOverLocalAndTcpAndLeavesNothingBehind(IpcTestResources resources) throws Exception {
		Path ordersSocket = resources.socket("orders");
		ConfigurableApplicationContext context = SampleSupport.run("--spring.main.keep-alive=false", "--server.port=0",
				"--ipc.servers.orders.name=", "--ipc.servers.orders.path=${ipc.test.dir}/orders.sock",
				"--ipc.servers.admin.port=0", "--ipc.http.server.name=${ipc.test.dir}/http.sock",
				"--ipc.dbus.bus=private", "--ipc.dbus.service-name=dev.ipcboot.SampleTest",
				"--ipc.shared-memory.status-board.key=${ipc.test.id}-status",
				"--ipc.semaphores.report-slots.key=${ipc.test.id}-reports",
				"--order-desk.dir=" + this.dir.resolve("desk"));
		try {
			assertThat(Files.exists(ordersSocket)).isTrue();
			try (IpcTestClient orders = IpcTestClient.connect(context, "orders")) {
				String receipt = orders.request("{\"item\":\"tea\",\"quantity\":2}", String.class);
				assertThat(receipt).contains("\"status\":\"accepted\"").contains("\"total\":5.00");
			}
			try (IpcTestClient admin = IpcTestClient.connect(context, "admin")) {
				assertThat(admin.request("count", String.class)).isEqualTo("orders: 1");
			}
			ManagedProcess worker = context.getBean(ProcessManager.class).find("invoices").orElseThrow();
			await().atMost(Duration.ofSeconds(20)).until(() -> worker.pid() > 0);
		}
		finally {
			context.close();
		}
		assertThat(Files.exists(ordersSocket)).isFalse();
		assertThat(Path.of("/dev/shm", resources.key("status"))).doesNotExist();
	}

}
