package dev.ipcboot.socket.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.ipcboot.testsupport.Tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A {@link HarnessServerApplication} in a child JVM on the test classpath, its output
 * kept line by line (and copied to a log file for a failing test's message).
 */
final class HarnessChildJvm implements AutoCloseable {

	private static final Pattern STATE = Pattern
		.compile("HARNESS STATE heap=(\\d+) rss=(\\d+) threads=(\\d+) names=(.*)");

	private final Process process;

	private final List<String> lines = new CopyOnWriteArrayList<>();

	private final Path log;

	private HarnessChildJvm(Process process, Path log) {
		this.process = process;
		this.log = log;
		Thread reader = new Thread(this::collect, "harness-child-output-" + process.pid());
		reader.setDaemon(true);
		reader.start();
	}

	/**
	 * Start the child and wait until its server is ready.
	 * @param jvmOptions for example {@code -Xmx128m}
	 * @param log where its output is copied
	 * @param properties {@code name=value} pairs, passed as {@code --name=value}
	 */
	static HarnessChildJvm start(List<String> jvmOptions, Path log, String... properties) throws IOException {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		List<String> command = new ArrayList<>();
		command.add(java);
		command.addAll(jvmOptions);
		command.addAll(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp",
				System.getProperty("java.class.path"), HarnessServerApplication.class.getName()));
		// only the socket facility takes part
		command.addAll(List.of("--spring.main.banner-mode=off", "--NOTIFY_SOCKET=", "--ipc.shared-memory.enabled=false",
				"--ipc.semaphores.enabled=false", "--ipc.dbus.enabled=false", "--ipc.processes.enabled=false",
				"--ipc.session.enabled=false", "--management.endpoints.enabled-by-default=false"));
		for (String property : properties) {
			command.add("--" + property);
		}
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		HarnessChildJvm child = new HarnessChildJvm(process, log);
		await().atMost(Duration.ofSeconds(90)).until(() -> child.has("HARNESS READY") || !process.isAlive());
		assertThat(process.isAlive()).as("the child JVM died on start-up:\n%s", child.output()).isTrue();
		return child;
	}

	private void collect() {
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8));
				Writer copy = Files.newBufferedWriter(this.log)) {
			String line;
			while ((line = reader.readLine()) != null) {
				this.lines.add(line);
				copy.write(line);
				copy.write('\n');
				copy.flush();
			}
		}
		catch (IOException ex) {
			this.lines.add("HARNESS OUTPUT FAILED " + ex);
		}
	}

	long pid() {
		return this.process.pid();
	}

	boolean isAlive() {
		return this.process.isAlive();
	}

	boolean has(String fragment) {
		return this.lines.stream().anyMatch((line) -> line.contains(fragment));
	}

	List<String> linesContaining(String fragment) {
		return this.lines.stream().filter((line) -> line.contains(fragment)).toList();
	}

	String output() {
		return String.join("\n", this.lines);
	}

	/** The last lines of output, for a failure message. */
	String tail(int count) {
		List<String> all = List.copyOf(this.lines);
		return String.join("\n", all.subList(Math.max(0, all.size() - count), all.size()));
	}

	/** Ask the child for its state and wait for the answer. */
	State state() throws IOException {
		int before = linesContaining("HARNESS STATE").size();
		OutputStream in = this.process.getOutputStream();
		in.write("state\n".getBytes(StandardCharsets.UTF_8));
		in.flush();
		await().atMost(Duration.ofSeconds(60))
			.until(() -> linesContaining("HARNESS STATE").size() > before || !this.process.isAlive());
		List<String> states = linesContaining("HARNESS STATE");
		assertThat(states).as("the child answered no state:\n%s", output()).hasSizeGreaterThan(before);
		return State.parse(states.get(states.size() - 1));
	}

	/** The state printed with {@code HARNESS READY}. */
	State readyState() {
		return State.parse(linesContaining("HARNESS READY").get(0));
	}

	/** Send SIGTERM, as a service manager stopping the application does. */
	void terminate() throws Exception {
		new ProcessBuilder(Tools.require("kill", "procps").toString(), "-s", "TERM", Long.toString(pid())).inheritIO()
			.start()
			.waitFor();
	}

	int awaitExit(Duration timeout) throws InterruptedException {
		assertThat(this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS))
			.as("the child JVM did not exit within %s:\n%s", timeout, output())
			.isTrue();
		return this.process.exitValue();
	}

	@Override
	public void close() throws InterruptedException {
		if (this.process.isAlive()) {
			this.process.destroy();
			if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
				this.process.waitFor(10, TimeUnit.SECONDS);
			}
		}
	}

	/** What the child said about itself. */
	record State(long heapBytes, long rssKiB, int threadsOfOurs, String threadNames) {

		static State parse(String line) {
			Matcher matcher = STATE.matcher(line.substring(line.indexOf("HARNESS STATE")));
			assertThat(matcher.matches()).as(line).isTrue();
			return new State(Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2)),
					Integer.parseInt(matcher.group(3)), matcher.group(4));
		}

	}

}
