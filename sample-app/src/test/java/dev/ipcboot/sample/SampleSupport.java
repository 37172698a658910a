package dev.ipcboot.sample;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * What the sample's tests share: the README's code blocks, running shell commands and
 * forked JVMs, and the arguments that give a test instance of the desk resources of its
 * own.
 */
final class SampleSupport {

	/** A fenced code block of the README: its info string and its text. */
	record Block(String language, String info, String text) {
	}

	private static final Pattern FENCE = Pattern.compile("(?m)^```(\\w+)([^\\n]*)\\n(.*?)^```", Pattern.DOTALL);

	private SampleSupport() {
	}

	static Path repositoryRoot() {
		Path dir = Path.of("").toAbsolutePath();
		while (dir != null && !Files.exists(dir.resolve("README.md"))) {
			dir = dir.getParent();
		}
		assertThat(dir).as("README.md above " + Path.of("").toAbsolutePath()).isNotNull();
		return dir;
	}

	static List<Block> readmeBlocks() throws IOException {
		String readme = Files.readString(repositoryRoot().resolve("README.md"), StandardCharsets.UTF_8);
		List<Block> blocks = new ArrayList<>();
		Matcher matcher = FENCE.matcher(readme);
		while (matcher.find()) {
			blocks.add(new Block(matcher.group(1), matcher.group(2).trim(), matcher.group(3)));
		}
		return blocks;
	}

	/**
	 * The commands of a README block and the output each promises: a command line, then
	 * optionally a comment line {@code # expected} where {@code ...} stands for anything.
	 */
	static List<String[]> commandsWithExpectations(String block) {
		List<String[]> commands = new ArrayList<>();
		for (String line : block.split("\n")) {
			if (line.isBlank()) {
				continue;
			}
			if (line.startsWith("# ")) {
				assertThat(commands).as("an expectation follows a command: " + line).isNotEmpty();
				commands.get(commands.size() - 1)[1] = line.substring(2);
			}
			else {
				commands.add(new String[] { line, null });
			}
		}
		return commands;
	}

	/**
	 * Whether {@code output} has the fragments of {@code expected} (split at "...") in
	 * order.
	 */
	static void assertMatches(String command, String output, String expected) {
		int at = 0;
		for (String fragment : expected.split("\\.\\.\\.")) {
			int found = output.indexOf(fragment.trim(), at);
			if (found < 0) {
				fail("'" + command + "' printed\n" + output + "\nnot matching the README's '" + expected
						+ "' (missing '" + fragment.trim() + "')");
			}
			at = found + fragment.trim().length();
		}
	}

	/**
	 * Run a shell command line, as a user pastes it.
	 * @return what it printed (stdout and stderr)
	 */
	static String sh(String command) throws IOException, InterruptedException {
		for (String tool : List.of("socat", "curl", "busctl")) {
			if (command.startsWith(tool) || command.contains("| " + tool)) {
				requireTool(tool);
			}
		}
		Process process = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true).start();
		process.getOutputStream().close();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(command).isTrue();
		assertThat(process.exitValue()).as("exit status of '" + command + "', which printed: " + output).isZero();
		return output;
	}

	static void requireTool(String tool) {
		boolean found = Arrays.stream(System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":"))
			.anyMatch((dir) -> Files.isExecutable(Path.of(dir, tool)));
		if (!found) {
			fail(tool + " is needed by this test and is not installed: apt-get install "
					+ (tool.equals("busctl") ? "systemd" : tool) + " (or run bash .ci/run)");
		}
	}

	static void requireRoot() throws IOException {
		int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
		if (uid != 0) {
			fail("This test plays another local user (nobody, through setpriv) and must run as root; it runs as uid "
					+ uid);
		}
		requireTool("setpriv");
	}

	/** Run a command as the user nobody (uid 65534). */
	static void asNobody(String... command) throws IOException, InterruptedException {
		List<String> line = new ArrayList<>(
				List.of("setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups"));
		line.addAll(List.of(command));
		Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(String.join(" ", line) + ": " + output).isZero();
	}

	/** The test class path without this module's own classes, filtered further. */
	static String classPath(Predicate<String> keep) {
		return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
			.filter((entry) -> !entry.endsWith("sample-app/target/classes")
					&& !entry.endsWith("sample-app/target/test-classes"))
			.filter(keep)
			.collect(Collectors.joining(File.pathSeparator));
	}

	/** The class path of the sample, as {@code java -jar} has it. */
	static String sampleClassPath() {
		return System.getProperty("java.class.path");
	}

	static String javaCommand() {
		return ProcessHandle.current().info().command().orElse("java");
	}

	/**
	 * Arguments that give a test instance of the desk resources of its own under
	 * {@code dir}, with free ports and a private D-Bus; the shared memory and semaphore
	 * keys are {@code shared}, so two instances can share them.
	 */
	static List<String> ownResources(Path dir, String shared) {
		return new ArrayList<>(List.of("--spring.main.keep-alive=false", "--server.port=0",
				"--ipc.servers.orders.name=", "--ipc.servers.orders.path=" + dir.resolve("orders.sock"),
				"--ipc.servers.admin.port=0", "--ipc.http.server.name=" + dir.resolve("http.sock"),
				"--ipc.dbus.bus=private", "--ipc.shared-memory.status-board.key=" + shared,
				"--ipc.semaphores.report-slots.key=" + shared, "--order-desk.dir=" + dir.resolve("desk")));
	}

	/**
	 * Start the desk in this JVM as its {@code main} does ({@code SampleApplication} is
	 * the main class, which AOT-processed runs need to find its initializer).
	 */
	static ConfigurableApplicationContext run(String... args) {
		return new SpringApplicationBuilder(SampleApplication.class).main(SampleApplication.class).run(args);
	}

	static String uniqueKey(String prefix) {
		return prefix + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 100_000;
	}

}
