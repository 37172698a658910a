package dev.ipcboot.hostile;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.ipcboot.testsupport.Tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Hostile peer: the application is killed with SIGKILL (no Java code runs) and started
 * again. Nothing of the dead instance may stay: its private {@code dbus-daemon} dies with
 * it and takes its directory along, and the restart reclaims what the dead instance
 * recorded (socket bind directory and socket file, POSIX and System V segments and
 * semaphores, key files). Checked with {@code ps}, {@code ls} and {@code ipcs} terms:
 * process table, file system, System V tables.
 */
@Tag("hostile")
class CrashLeftoversTests {

	@TempDir
	Path temp;

	@Test
	void sigkilledApplicationLeavesNoDaemonAndItsRestartReclaimsEveryObjectTheDeadInstanceCreated() throws Exception {
		Tools.require("dbus-daemon", "dbus-daemon");
		Tools.require("ipcs", "util-linux");
		Path run = this.temp.resolve("run");
		String key = "crash-" + UUID.randomUUID().toString().substring(0, 8);
		List<String[]> recorded;
		long daemon;
		try (App first = App.start(run, this.temp, key)) {
			daemon = first.daemonPid();
			first.cleanUp(() -> ProcessHandle.of(daemon).ifPresent(ProcessHandle::destroyForcibly));
			Path record = first.recordFile();
			first.kill();
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(isLive(daemon))
					.as("dbus-daemon pid " + daemon + " after kill -9 of " + "the application")
					.isFalse());
			recorded = App.read(record);
			assertThat(recorded).extracting((entry) -> entry[0])
				.contains("DIRECTORY", "FILE", "POSIX_SHM", "POSIX_SEM", "SYSV_SHM", "SYSV_SEM");
			Path busDirectory = recorded.stream()
				.filter((entry) -> entry[0].equals("DIRECTORY") && entry[2].contains("ipc-dbus-"))
				.map((entry) -> Path.of(entry[2]))
				.findFirst()
				.orElseThrow();
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(busDirectory).doesNotExist());
			// the rest can only go at the next start
			assertThat(recorded).filteredOn((entry) -> entry[0].startsWith("SYSV"))
				.allMatch(CrashLeftoversTests::exists);
		}
		try (App second = App.start(run, this.temp, key)) {
			assertThat(recorded).as("objects of the dead instance after the restart; its log:\n%s", second.output())
				.noneMatch(CrashLeftoversTests::exists);
			assertThat(second.recordFiles()).as("records in " + run).hasSize(1);
			List<String[]> own = second.recorded();
			second.stop();
			assertThat(own).as("objects of an instance that closed").noneMatch(CrashLeftoversTests::exists);
		}
	}

	// The same identity as natives.Identity: inode of a file, key of a System V object
	private static boolean exists(String[] entry) {
		String kind = entry[0];
		String identity = entry[1];
		String name = entry[2];
		return switch (kind) {
			case "DIRECTORY" -> identity.equals(inode(Path.of(name)));
			case "FILE" -> identity.equals(inode(Path.of(name)) + ":" + changeTime(Path.of(name)));
			case "POSIX_SHM" -> identity.equals(inode(Path.of("/dev/shm", name.substring(1))));
			case "POSIX_SEM" -> identity.equals(inode(Path.of("/dev/shm", "sem." + name.substring(1))));
			case "SYSV_SHM" -> ipcs("-m").contains(key(identity) + " " + name);
			case "SYSV_SEM" -> ipcs("-s").contains(key(identity) + " " + name);
			default -> throw new AssertionError("unknown kind " + kind);
		};
	}

	private static String key(String decimal) {
		return String.format("0x%08x", Integer.parseInt(decimal));
	}

	// "key id" pairs of every line of ipcs
	private static String ipcs(String table) {
		try {
			Process ipcs = new ProcessBuilder("ipcs", table).redirectErrorStream(true).start();
			String output = new String(ipcs.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			ipcs.waitFor();
			StringBuilder pairs = new StringBuilder();
			for (String line : output.split("\n")) {
				String[] fields = line.trim().split(" +");
				if (fields.length > 2 && fields[0].startsWith("0x")) {
					pairs.append(fields[0]).append(' ').append(fields[1]).append('\n');
				}
			}
			return pairs.toString();
		}
		catch (IOException ex) {
			throw new AssertionError("ipcs " + table + " failed", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	private static String inode(Path path) {
		try {
			Map<String, Object> attributes = Files.readAttributes(path, "unix:ino,dev", LinkOption.NOFOLLOW_LINKS);
			return attributes.get("ino") + ":" + attributes.get("dev");
		}
		catch (IOException ex) {
			return "absent";
		}
	}

	private static long changeTime(Path path) {
		try {
			return ((java.nio.file.attribute.FileTime) Files.getAttribute(path, "unix:ctime",
					LinkOption.NOFOLLOW_LINKS))
				.to(java.util.concurrent.TimeUnit.NANOSECONDS);
		}
		catch (IOException ex) {
			return -1;
		}
	}

	static boolean isLive(long pid) {
		try {
			String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
			char state = stat.charAt(stat.lastIndexOf(')') + 2);
			return state != 'Z' && state != 'X';
		}
		catch (IOException ex) {
			return false;
		}
	}

	/** {@link CrashingApplication} in a JVM of its own. */
	static final class App implements AutoCloseable {

		private final Process process;

		private final Path run;

		private final List<String> lines = new CopyOnWriteArrayList<>();

		private Runnable cleanUp = () -> {
		};

		private App(Process process, Path run) {
			this.process = process;
			this.run = run;
			Thread reader = new Thread(() -> {
				try (BufferedReader output = new BufferedReader(
						new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
					String line;
					while ((line = output.readLine()) != null) {
						this.lines.add(line);
					}
				}
				catch (IOException ex) {
					this.lines.add("OUTPUT FAILED " + ex);
				}
			}, "crash-app-output-" + process.pid());
			reader.setDaemon(true);
			reader.start();
		}

		static App start(Path run, Path temp, String key, String... extra) throws IOException {
			List<String> command = new ArrayList<>(
					List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseSerialGC",
							"-XX:TieredStopAtLevel=1", "-Dipcboot.run-directory=" + run, "-cp",
							System.getProperty("java.class.path"), CrashingApplication.class.getName(),
							"--spring.main.banner-mode=off", "--NOTIFY_SOCKET=", "--ipc.processes.enabled=false",
							"--ipc.session.enabled=false", "--management.endpoints.enabled-by-default=false",
							"--ipc.dbus.bus=private", "--ipc.servers.crash.path=" + temp.resolve("crash.sock"),
							"--ipc.shared-memory.posix.key=" + key, "--ipc.shared-memory.posix.size=4KB",
							"--ipc.shared-memory.sysv.key=" + key + "-v", "--ipc.shared-memory.sysv.size=4KB",
							"--ipc.shared-memory.sysv.backend=system-v", "--ipc.semaphores.psem.key=" + key + "-s",
							"--ipc.semaphores.psem.backend=posix", "--ipc.semaphores.vsem.key=" + key + "-vs",
							"--ipc.semaphores.vsem.backend=system-v"));
			command.addAll(List.of(extra));
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			App app = new App(process, run);
			await().atMost(Duration.ofSeconds(90)).until(() -> app.has("CRASH READY") || !process.isAlive());
			assertThat(process.isAlive()).as("the application died on start-up:\n%s", app.output()).isTrue();
			return app;
		}

		boolean has(String text) {
			return this.lines.stream().anyMatch((line) -> line.contains(text));
		}

		String output() {
			return String.join("\n", this.lines);
		}

		List<Path> recordFiles() throws IOException {
			try (Stream<Path> files = Files.list(this.run)) {
				return files.filter((file) -> file.getFileName().toString().startsWith("instance-")).toList();
			}
		}

		// instance-<boot>-<pid namespace>-<pid>-<start time>
		Path recordFile() throws IOException {
			String suffix = "-" + this.process.pid() + "-" + startTicks(this.process.pid());
			return recordFiles().stream()
				.filter((file) -> file.getFileName().toString().endsWith(suffix))
				.findFirst()
				.orElseThrow(
						() -> new AssertionError("no record of instance " + this.process.pid() + " in " + this.run));
		}

		List<String[]> recorded() throws IOException {
			return read(recordFile());
		}

		static List<String[]> read(Path record) throws IOException {
			assertThat(record).as("record of the instance").exists();
			return Files.readAllLines(record).stream().map((line) -> line.split("\t", 3)).toList();
		}

		long daemonPid() {
			return this.process.toHandle()
				.children()
				.filter((child) -> child.info().command().orElse("").endsWith("dbus-daemon"))
				.map(ProcessHandle::pid)
				.findFirst()
				.orElseThrow(() -> new AssertionError("no dbus-daemon child of the application:\n" + output()));
		}

		void kill() throws InterruptedException {
			this.process.destroyForcibly();
			this.process.waitFor();
		}

		void stop() throws Exception {
			try (OutputStream input = this.process.getOutputStream()) {
				input.flush();
			}
			assertThat(this.process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).as("orderly exit").isTrue();
			assertThat(has("CRASH CLOSED")).as("closed:\n%s", output()).isTrue();
		}

		private static long startTicks(long pid) throws IOException {
			String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
			return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19]);
		}

		/** What to undo if the test fails, so that a failure leaves no orphan. */
		void cleanUp(Runnable action) {
			this.cleanUp = action;
		}

		@Override
		public void close() throws InterruptedException {
			this.process.destroyForcibly();
			this.process.waitFor();
			this.cleanUp.run();
		}

	}

}
