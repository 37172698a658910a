package dev.ipcboot.sample;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The order desk's HTTP socket as the README shows it: curl over the socket file gets the
 * health, the file is owner-only, and it is gone when the desk stops.
 */
class SampleHttpSocketTests {

	@TempDir
	Path dir;

	@Test
	void curlOverTheHttpSocketGetsTheDesksHealth() throws Exception {
		String unique = "sample-http-test-" + ProcessHandle.current().pid();
		Path socket = this.dir.resolve("order-desk-http.sock");
		try (ConfigurableApplicationContext context = SampleSupport.run("--spring.main.keep-alive=false",
				"--server.port=0", "--ipc.http.server.name=" + socket, "--ipc.servers.orders.name=",
				"--ipc.servers.orders.path=" + this.dir.resolve("orders.sock"), "--ipc.servers.admin.port=0",
				"--ipc.dbus.bus=private", "--ipc.dbus.service-name=dev.ipcboot.SampleHttp",
				"--ipc.shared-memory.status-board.key=" + unique, "--ipc.semaphores.report-slots.key=" + unique,
				"--order-desk.dir=" + this.dir.resolve("desk"))) {
			Process curl = new ProcessBuilder("curl", "-sS", "--max-time", "20", "--unix-socket", socket.toString(),
					"http://localhost/actuator/health")
				.redirectErrorStream(true)
				.start();
			String health = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertThat(curl.waitFor(30, TimeUnit.SECONDS)).isTrue();
			assertThat(health).contains("\"status\":\"UP\"").contains("http local server");
			assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-------");
		}
		assertThat(socket).doesNotExist();
	}

}
