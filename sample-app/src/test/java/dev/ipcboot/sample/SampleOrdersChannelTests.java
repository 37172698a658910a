package dev.ipcboot.sample;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;

import dev.ipcboot.test.IpcTest;
import dev.ipcboot.test.IpcTestClient;
import dev.ipcboot.test.IpcTestResources;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The order desk's {@code orders} channel through {@code ipc-spring-boot-test}: the desk
 * runs with its socket files in {@code ${ipc.test.dir}}, its shared-memory and semaphore
 * keys under {@code ${ipc.test.id}} and its D-Bus connection on the class's private bus;
 * {@link IpcTestClient} talks to {@code orders} as any peer would. The desk's state
 * directory ({@code order-desk.dir}) keeps {@code state.properties} by design, so it is a
 * separate temporary directory. The last test closes the desk and checks that nothing of
 * it is left in the test directory or {@code /dev/shm}.
 */
@IpcTest(bus = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SampleOrdersChannelTests {

	@TempDir
	static Path stateDir;

	static ConfigurableApplicationContext context;

	/** What is in the test directory before the desk starts: the private bus's files. */
	static List<String> before;

	@BeforeAll
	static void startDesk(IpcTestResources resources) throws IOException {
		before = list(resources.directory());
		context = SampleSupport.run("--spring.main.keep-alive=false", "--server.port=0", "--ipc.servers.orders.name=",
				"--ipc.servers.orders.path=${ipc.test.dir}/orders.sock", "--ipc.servers.admin.port=0",
				"--ipc.http.server.name=${ipc.test.dir}/http.sock", "--ipc.dbus.bus=${ipc.test.bus-address}",
				"--ipc.shared-memory.status-board.key=${ipc.test.id}-status",
				"--ipc.semaphores.report-slots.key=${ipc.test.id}-reports",
				"--order-desk.dir=" + stateDir.resolve("desk"));
	}

	@AfterAll
	static void closeDesk() {
		if (context != null) {
			context.close();
		}
	}

	@Test
	@Order(1)
	void deskRunsOnTheTestsOwnResources(IpcTestResources resources) {
		assertThat(resources.socket("orders")).exists();
		assertThat(resources.socket("http")).exists();
		assertThat(Path.of("/dev/shm", resources.key("status"))).exists();
		assertThat(context.getEnvironment().getProperty("ipc.dbus.bus")).isEqualTo(resources.busAddress());
	}

	@Test
	@Order(2)
	void validOrderGetsTheJsonReceipt() {
		try (IpcTestClient orders = IpcTestClient.connect(context, "orders")) {
			OrderDesk.Receipt receipt = orders.request(new OrderDesk.Order("tea", 2), OrderDesk.Receipt.class);
			assertThat(receipt.status()).isEqualTo("accepted");
			assertThat(receipt.item()).isEqualTo("tea");
			assertThat(receipt.quantity()).isEqualTo(2);
			assertThat(receipt.total()).isEqualByComparingTo(new BigDecimal("5.00"));
			assertThat(receipt.orderId()).isPositive();
		}
	}

	@Test
	@Order(3)
	void lineThatIsNotAnOrderGetsTheJsonRejectionAndTheConnectionStaysOpen() {
		try (IpcTestClient orders = IpcTestClient.connect(context, "orders")) {
			String rejection = orders.request("two teas please", String.class);
			assertThat(rejection).startsWith("{\"status\":\"rejected: not an order; send {")
				.contains("\"error\":\"")
				.endsWith("}");
			OrderErrors.Rejection parsed = orders.request("{\"item\":", OrderErrors.Rejection.class);
			assertThat(parsed.status()).startsWith("rejected: not an order");
			assertThat(parsed.error()).isNotBlank();
			// the same connection still takes orders
			OrderDesk.Receipt receipt = orders.request(new OrderDesk.Order("cake", 1), OrderDesk.Receipt.class);
			assertThat(receipt.status()).isEqualTo("accepted");
		}
	}

	@Test
	@Order(4)
	void closingTheDeskLeavesNothingInTheTestDirectory(IpcTestResources resources) throws IOException {
		context.close();
		context = null;
		assertThat(list(resources.directory())).as("test directory after the desk closed").isEqualTo(before);
		try (Stream<Path> shm = Files.list(Path.of("/dev/shm"))) {
			assertThat(shm.map((file) -> file.getFileName().toString())).as("/dev/shm after the desk closed")
				.noneMatch((name) -> name.contains(resources.id() + "-"));
		}
	}

	private static List<String> list(Path dir) throws IOException {
		try (Stream<Path> files = Files.list(dir)) {
			return files.map((file) -> file.getFileName().toString()).sorted().toList();
		}
	}

}
