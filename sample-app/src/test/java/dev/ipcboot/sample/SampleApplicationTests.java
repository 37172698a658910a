package dev.ipcboot.sample;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;

import dev.ipcboot.process.ManagedProcess;
import dev.ipcboot.process.ProcessManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The order desk as the README describes it: a JSON order over the local socket, an admin
 * command over TCP, the invoice worker running; and nothing left behind after it stops.
 */
class SampleApplicationTests {

	@TempDir
	Path dir;

	@Test
	void orderDeskAnswersOverLocalAndTcpAndLeavesNothingBehind() throws Exception {
		String unique = "sample-test-" + ProcessHandle.current().pid();
		Path ordersSocket = this.dir.resolve("orders.sock");
		ConfigurableApplicationContext context = SampleSupport.run("--spring.main.keep-alive=false", "--server.port=0",
				"--ipc.servers.orders.name=", "--ipc.servers.orders.path=" + ordersSocket, "--ipc.servers.admin.port=0",
				"--ipc.dbus.bus=private", "--ipc.dbus.service-name=dev.ipcboot.SampleTest",
				"--ipc.shared-memory.status-board.key=" + unique, "--ipc.semaphores.report-slots.key=" + unique,
				"--order-desk.dir=" + this.dir.resolve("desk"));
		try {
			assertThat(Files.exists(ordersSocket)).isTrue();
			String receipt = exchangeLocal(ordersSocket, "{\"item\":\"tea\",\"quantity\":2}");
			assertThat(receipt).contains("\"status\":\"accepted\"").contains("\"total\":5.00");
			int adminPort = Integer.parseInt(context.getEnvironment().getProperty("local.ipc.server.admin.port"));
			assertThat(exchangeTcp(adminPort, "count")).isEqualTo("orders: 1");
			ManagedProcess worker = context.getBean(ProcessManager.class).find("invoices").orElseThrow();
			await().atMost(Duration.ofSeconds(20)).until(() -> worker.pid() > 0);
		}
		finally {
			context.close();
		}
		assertThat(Files.exists(ordersSocket)).isFalse();
		assertThat(Path.of("/dev/shm", unique)).doesNotExist();
	}

	private static String exchangeLocal(Path socket, String line) throws IOException {
		try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
			channel.connect(UnixDomainSocketAddress.of(socket));
			OutputStream out = Channels.newOutputStream(channel);
			out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
			out.flush();
			return new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8))
				.readLine();
		}
	}

	private static String exchangeTcp(int port, String line) throws IOException {
		try (Socket socket = new Socket("127.0.0.1", port)) {
			socket.setSoTimeout(10_000);
			socket.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
			return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
				.readLine();
		}
	}

}
