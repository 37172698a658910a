package dev.ipcboot.testsupport.shm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The Python of the virtual environment that {@code .ci/run} fills with
 * PySide6-Essentials (Qt 6.11), the Qt 6.6+ peer of the shared memory and semaphore
 * tests. A missing one fails the test with the commands that install it; it never skips
 * the test.
 */
public final class QtSixPython {

	/**
	 * Where {@code .ci/run} creates the virtual environment ({@code IPCBOOT_VENV}
	 * overrides).
	 */
	public static final Path VENV = Path.of(System.getenv().getOrDefault("IPCBOOT_VENV", "/opt/ipcboot-venv"));

	/** The PySide6-Essentials release the tests were written against. */
	public static final String PYSIDE_VERSION = "6.11.2";

	private QtSixPython() {
	}

	/**
	 * Check that the virtual environment has PySide6 with Qt 6.6 or later.
	 * @return its Python executable
	 * @throws AssertionError naming the missing tool and how to install it
	 */
	public static String require() {
		Path python = VENV.resolve("bin/python");
		String install = ": python3 -m venv " + VENV + " && " + VENV + "/bin/pip install PySide6-Essentials=="
				+ PYSIDE_VERSION + " (.ci/run does this)";
		if (!Files.isExecutable(python)) {
			throw new AssertionError(
					"This test needs PySide6 (Qt 6.6 or later) in " + VENV + ", which is missing" + install);
		}
		try {
			Process process = new ProcessBuilder(python.toString(), "-c",
					"from PySide6.QtCore import qVersion; print(qVersion())")
				.redirectErrorStream(true)
				.start();
			String version = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
			if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
				process.destroyForcibly();
				throw new AssertionError(
						"This test needs the Python module PySide6 in " + VENV + install + "; python said: " + version);
			}
			String[] parts = version.split("\\.");
			if (Integer.parseInt(parts[0]) != 6 || Integer.parseInt(parts[1]) < 6) {
				throw new AssertionError(
						"This test needs Qt 6.6 or later, but PySide6 in " + VENV + " has Qt " + version + install);
			}
		}
		catch (IOException ex) {
			throw new AssertionError("Could not run " + python, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("Interrupted while checking for PySide6", ex);
		}
		return python.toString();
	}

}
