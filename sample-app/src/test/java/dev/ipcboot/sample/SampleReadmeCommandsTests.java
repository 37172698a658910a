package dev.ipcboot.sample;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;

import dev.ipcboot.sample.SampleSupport.Block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every command the README shows for the running sample (the {@code sh sample} block),
 * run as a shell runs it (socat, curl, Python, busctl, ls) against a running desk, each
 * printing what the README says it prints. The desk's socket files, ports, directory and
 * shared memory key are moved to the test's own; each command is rewritten the same way.
 */
class SampleReadmeCommandsTests {

	@TempDir
	Path dir;

	@Test
	void everyCommandTheReadmeShowsForTheSampleAnswersAsTheReadmeSays() throws Exception {
		Block block = SampleSupport.readmeBlocks()
			.stream()
			.filter((candidate) -> candidate.language().equals("sh") && candidate.info().equals("sample"))
			.findFirst()
			.orElseThrow(() -> new AssertionError("The README has no ```sh sample block"));
		List<String[]> commands = SampleSupport.commandsWithExpectations(block.text());
		assertThat(commands).hasSizeGreaterThanOrEqualTo(8);
		String key = SampleSupport.uniqueKey("sample-readme");
		try (ConfigurableApplicationContext context = SampleSupport
			.run(SampleSupport.ownResources(this.dir, key).toArray(String[]::new))) {
			Map<String, String> moves = new LinkedHashMap<>();
			moves.put("/tmp/order-desk-http.sock", this.dir.resolve("http.sock").toString());
			moves.put("/tmp/order-desk.sock", this.dir.resolve("orders.sock").toString());
			moves.put("127.0.0.1:8080", "127.0.0.1:" + context.getEnvironment().getProperty("local.server.port"));
			moves.put("127.0.0.1:7471",
					"127.0.0.1:" + context.getEnvironment().getProperty("local.ipc.server.admin.port"));
			moves.put("~/.local/state/order-desk/", this.dir.resolve("desk") + "/");
			moves.put("order-desk-status", key);
			Path board = Path.of("/dev/shm", key);
			await().atMost(Duration.ofSeconds(30))
				.until(() -> Files.exists(board)
						&& ByteBuffer.wrap(Files.readAllBytes(board)).order(ByteOrder.LITTLE_ENDIAN).getLong(0) > 0);
			for (String[] command : commands) {
				String line = move(command[0], moves);
				assertThat(line).as("every default of the README's command is moved: " + line)
					.doesNotContain("/tmp/order-desk", ":8080", ":7471", "~/");
				String output = SampleSupport.sh(line);
				if (command[1] != null) {
					SampleSupport.assertMatches(line, output, move(command[1], moves));
				}
			}
		}
	}

	private static String move(String text, Map<String, String> moves) {
		String moved = text;
		for (Map.Entry<String, String> move : moves.entrySet()) {
			moved = moved.replace(move.getKey(), move.getValue());
		}
		return moved;
	}

}
