package dev.ipcboot.natives;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.sun.jna.NativeLibrary;

/**
 * Which optional {@code posix_spawn} file actions the C library has, found once by name:
 * {@code posix_spawn_file_actions_addclosefrom_np} (glibc 2.34+) and
 * {@code posix_spawn_file_actions_addchdir_np} (glibc 2.29+, musl 1.1.24+). A function
 * named in the system property {@value #FORCE_MISSING} counts as missing, so that tests
 * run the fallbacks on a C library that has everything.
 */
final class SpawnFunctions {

	/** System property: comma-separated names of functions to treat as missing. */
	static final String FORCE_MISSING = "ipcboot.natives.missing";

	static final String CLOSE_FROM = "posix_spawn_file_actions_addclosefrom_np";

	static final String CHANGE_DIRECTORY = "posix_spawn_file_actions_addchdir_np";

	private static final List<String> OPTIONAL = List.of(CLOSE_FROM, CHANGE_DIRECTORY);

	private static final List<String> PRESENT = detect();

	private SpawnFunctions() {
	}

	static boolean has(String function) {
		return PRESENT.contains(function) && !forcedMissing(function);
	}

	static List<String> missing() {
		return OPTIONAL.stream().filter((function) -> !has(function)).toList();
	}

	private static boolean forcedMissing(String function) {
		String forced = System.getProperty(FORCE_MISSING, "");
		return !forced.isEmpty() && Arrays.asList(forced.split(",")).contains(function);
	}

	private static List<String> detect() {
		List<String> present = new ArrayList<>();
		NativeLibrary c = NativeLibrary.getInstance("c");
		for (String function : OPTIONAL) {
			try {
				c.getFunction(function);
				present.add(function);
			}
			catch (UnsatisfiedLinkError ex) {
				// older glibc or musl: the fallback in ChildProcesses takes over
			}
		}
		return List.copyOf(present);
	}

}
