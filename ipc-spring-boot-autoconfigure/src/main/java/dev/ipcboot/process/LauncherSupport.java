package dev.ipcboot.process;

import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.util.ClassUtils;

import dev.ipcboot.internal.natives.ChildProcesses;

/**
 * Chooses how children are started, once per manager, and says at INFO what a fallback
 * loses: the native launcher needs Linux and JNA; without them, or with the system
 * property {@value #LAUNCHER_PROPERTY}{@code =jdk}, children are started with
 * {@link ProcessBuilder}.
 */
final class LauncherSupport {

	/** System property: {@code jdk} forces the {@link ProcessBuilder} launcher. */
	static final String LAUNCHER_PROPERTY = "ipcboot.process.launcher";

	private static final Log logger = LogFactory.getLog(LauncherSupport.class);

	private LauncherSupport() {
	}

	static boolean nativeLauncher() {
		String reason = jdkReason();
		if (reason != null) {
			logger.info("Processes are started with java.lang.ProcessBuilder (" + reason + "): a death by signal N"
					+ " shows as exit code 128+N, children share the application's process group so a stop reaches"
					+ " only the descendants found at that moment, die-with-parent is off, and pipes keep their"
					+ " default size");
			return false;
		}
		List<String> missing = SpawnPolicy.missingFunctions();
		if (!missing.isEmpty()) {
			logger.info("The C library lacks " + String.join(" and ", missing) + " (glibc before 2.34/2.29 or musl):"
					+ " inherited descriptors are closed from a /proc/self/fd listing taken at each spawn, and a"
					+ " working directory is set by changing the application's own around the spawn, under a lock");
		}
		return true;
	}

	private static String jdkReason() {
		if ("jdk".equals(System.getProperty(LAUNCHER_PROPERTY))) {
			return "system property " + LAUNCHER_PROPERTY + "=jdk";
		}
		if (!ClassUtils.isPresent("com.sun.jna.Native", LauncherSupport.class.getClassLoader())) {
			return "JNA is not on the class path";
		}
		if (!ChildProcesses.isSupported()) {
			return "the native launcher needs Linux; this is " + System.getProperty("os.name");
		}
		return null;
	}

}
