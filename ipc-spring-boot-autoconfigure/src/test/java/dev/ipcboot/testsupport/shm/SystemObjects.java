package dev.ipcboot.testsupport.shm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.ipcboot.testsupport.Tools;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the operating system shows of shared memory and semaphores: {@code /dev/shm},
 * {@code ipcs} and the temp directory, for leak and permission checks.
 */
public final class SystemObjects {

	private SystemObjects() {
	}

	/**
	 * A key no other test run uses.
	 * @param prefix what the test is about
	 * @return the key
	 */
	public static String uniqueKey(String prefix) {
		return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
	}

	/**
	 * The lines of {@code ipcs -m} or {@code ipcs -s} whose key column is the given key.
	 * @param kind {@code -m} or {@code -s}
	 * @param key the System V key
	 * @return matching lines (empty if none)
	 */
	public static List<String> ipcs(String kind, int key) {
		String hex = String.format("0x%08x", key);
		return Arrays.stream(run(Tools.require("ipcs", "util-linux").toString(), kind).split("\n"))
			.filter((line) -> line.startsWith(hex + " "))
			.toList();
	}

	/**
	 * Files in the temp directory whose name contains the text.
	 * @param text part of the name
	 * @return the names
	 */
	public static List<String> tempFiles(String text) {
		return files(Path.of(System.getenv().getOrDefault("TMPDIR", "/tmp")), text);
	}

	/**
	 * Files in {@code /dev/shm} whose name contains the text.
	 * @param text part of the name
	 * @return the names
	 */
	public static List<String> devShm(String text) {
		return files(Path.of("/dev/shm"), text);
	}

	private static List<String> files(Path directory, String text) {
		try (var files = Files.list(directory)) {
			return files.map((file) -> file.getFileName().toString()).filter((name) -> name.contains(text)).toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static String run(String... command) {
		return execute(List.of(command), null);
	}

	/**
	 * Run a command and fail the test unless it succeeds.
	 * @param what what it does, for the failure message
	 * @param command the command
	 * @return its output, trimmed
	 */
	static String runOrFail(String what, List<String> command) {
		return execute(command, what).trim();
	}

	private static String execute(List<String> command, String what) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			boolean done = process.waitFor(30, TimeUnit.SECONDS);
			if (what != null) {
				assertThat(done).as("%s finished", what).isTrue();
				assertThat(process.exitValue()).as("%s: %s", what, out).isZero();
			}
			return out;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

}
