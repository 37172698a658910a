package dev.ipcboot.sample;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two order desks side by side as the README starts them: the second one with
 * {@code --spring.profiles.active=second} in its own JVM (the profile moves every port,
 * socket name, D-Bus name and directory an instance owns), both updating one status board
 * in shared memory, which survives either one stopping and goes with the last.
 */
class SampleTwoInstancesTests {

	@TempDir
	Path dir;

	@Test
	void secondProfileMovesEveryResourceAnInstanceOwnsAndKeepsTheSharedOnes() throws IOException {
		PropertySource<?> first = yaml("application.yml");
		PropertySource<?> second = yaml("application-second.yml");
		for (String owned : List.of("server.port", "ipc.servers.orders.name", "ipc.servers.admin.port",
				"ipc.http.server.name", "ipc.dbus.service-name", "order-desk.dir")) {
			assertThat(second.getProperty(owned)).as(owned).isNotNull().isNotEqualTo(first.getProperty(owned));
		}
		for (String shared : List.of("ipc.shared-memory.status-board.key", "ipc.semaphores.report-slots.key")) {
			assertThat(second.containsProperty(shared)).as(shared + " is shared").isFalse();
		}
	}

	@Test
	void statusBoardSurvivesEitherInstanceStoppingAndGoesWithTheLast() throws Exception {
		String key = SampleSupport.uniqueKey("sample-two");
		Path board = Path.of("/dev/shm", key);
		ConfigurableApplicationContext first = SampleSupport
			.run(SampleSupport.ownResources(this.dir.resolve("first"), key).toArray(String[]::new));
		try {
			await().atMost(Duration.ofSeconds(30)).until(() -> boardText(board).contains("pid " + pid()));
			Process second = startSecond(key);
			awaitOnBoard(second, board);
			stop(second);
			assertThat(board).as("the first instance still has it").exists();
			long updates = updates(board);
			await().atMost(Duration.ofSeconds(30)).until(() -> updates(board) > updates);

			Process again = startSecond(key);
			awaitOnBoard(again, board);
			first.close();
			assertThat(board).as("the creator stopped, the second instance still has it").exists();
			long later = updates(board);
			await().atMost(Duration.ofSeconds(30)).until(() -> updates(board) > later);
			stop(again);
			assertThat(board).as("the last instance out removes it").doesNotExist();
		}
		finally {
			first.close();
		}
	}

	private Process startSecond(String key) throws IOException {
		List<String> command = new ArrayList<>(List.of(SampleSupport.javaCommand(), "-cp",
				SampleSupport.sampleClassPath(), SampleApplication.class.getName(), "--spring.profiles.active=second",
				// only what keeps the test off a real desk on this machine: its state,
				// bus,
				// shared keys and ports (the profile's own ports are checked above); its
				// socket files keep the profile's names, in a temp directory of the test
				"--order-desk.dir=" + this.dir.resolve("second"), "--ipc.dbus.bus=private",
				"--ipc.shared-memory.status-board.key=" + key, "--ipc.semaphores.report-slots.key=" + key,
				"--server.port=0", "--ipc.servers.admin.port=0"));
		ProcessBuilder builder = new ProcessBuilder(command);
		builder.environment().put("TMPDIR", Files.createDirectories(this.dir.resolve("second-tmp")).toString());
		return builder.redirectErrorStream(true).redirectOutput(this.dir.resolve("second.log").toFile()).start();
	}

	private void awaitOnBoard(Process second, Path board) {
		Path socket = this.dir.resolve("second-tmp/order-desk-2.sock");
		await().atMost(Duration.ofSeconds(90)).until(() -> {
			if (!second.isAlive()) {
				throw new AssertionError("The second instance stopped (exit " + second.exitValue() + "):\n"
						+ Files.readString(this.dir.resolve("second.log")));
			}
			return Files.exists(socket) && boardText(board).contains("pid " + second.pid());
		});
	}

	private void stop(Process second) throws Exception {
		second.destroy();
		assertThat(second.waitFor(30, TimeUnit.SECONDS)).as("the second instance stops on SIGTERM").isTrue();
	}

	private static long pid() {
		return ProcessHandle.current().pid();
	}

	private static long updates(Path board) throws IOException {
		return ByteBuffer.wrap(Files.readAllBytes(board)).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
	}

	private static String boardText(Path board) throws IOException {
		if (!Files.exists(board)) {
			return "";
		}
		byte[] bytes = Files.readAllBytes(board);
		return new String(bytes, 8, bytes.length - 8, StandardCharsets.UTF_8);
	}

	private static PropertySource<?> yaml(String name) throws IOException {
		return new YamlPropertySourceLoader().load(name, new ClassPathResource(name)).get(0);
	}

}
