package dev.ipcboot.testsupport;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Finds the foreign tools that tests talk to. A missing tool fails the test with a
 * message that says which tool and which Debian package brings it; it never skips the
 * test.
 */
public final class Tools {

	/**
	 * Debian's Python, which has python3-dbus, PyQt5 and dbusmock; the first python3 on
	 * PATH may not.
	 */
	public static final String PYTHON = "/usr/bin/python3";

	private Tools() {
	}

	/**
	 * Find an executable on the PATH.
	 * @param tool the executable name
	 * @param debianPackage the package that provides it
	 * @return its path
	 * @throws AssertionError if it is not installed
	 */
	public static Path require(String tool, String debianPackage) {
		for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
			Path candidate = Path.of(dir, tool);
			if (Files.isExecutable(candidate)) {
				return candidate;
			}
		}
		for (String dir : new String[] { "/usr/bin", "/bin", "/usr/sbin", "/sbin" }) {
			Path candidate = Path.of(dir, tool);
			if (Files.isExecutable(candidate)) {
				return candidate;
			}
		}
		throw new AssertionError("This test needs '" + tool + "', which is not installed: apt-get install "
				+ debianPackage + " (.ci/run installs it)");
	}

	/**
	 * Check that Debian's Python has a module.
	 * @param module the module to import, for example {@code PyQt5.QtCore}
	 * @param debianPackage the package that provides it
	 * @return the Python executable
	 * @throws AssertionError if Python or the module is missing
	 */
	public static String requirePythonModule(String module, String debianPackage) {
		if (!Files.isExecutable(Path.of(PYTHON))) {
			throw new AssertionError("This test needs " + PYTHON + ": apt-get install python3");
		}
		try {
			Process process = new ProcessBuilder(PYTHON, "-c", "import " + module).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
			if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
				process.destroyForcibly();
				throw new AssertionError("This test needs the Python module '" + module + "' in " + PYTHON
						+ ": apt-get install " + debianPackage + " (.ci/run installs it)");
			}
		}
		catch (IOException ex) {
			throw new AssertionError("Could not run " + PYTHON, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("Interrupted while checking for " + module, ex);
		}
		return PYTHON;
	}

	/**
	 * Check that the test runs as root, the uid it needs to act as a hostile local user.
	 * @param why what the test does that needs root
	 * @throws AssertionError naming the reason if it does not run as root
	 */
	public static void requireRoot(String why) {
		if (!"root".equals(System.getProperty("user.name"))) {
			throw new AssertionError("This test needs root (" + why + "); it runs as " + System.getProperty("user.name")
					+ ". Run the build as root (CI does).");
		}
	}

	/** The uid and gid of the other local user of the hostile tests ({@code nobody}). */
	public static final int NOBODY = 65534;

}
