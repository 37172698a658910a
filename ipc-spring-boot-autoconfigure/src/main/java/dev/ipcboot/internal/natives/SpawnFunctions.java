package dev.ipcboot.internal.natives;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.sun.jna.NativeLibrary;

/**
 * Which optional {@code posix_spawn} file actions the C library has, found once by name:
 * {@code posix_spawn_file_actions_addclosefrom_np} (glibc 2.34+) and
 * {@code posix_spawn_file_actions_addchdir_np} (glibc 2.29+, musl 1.1.24+). A caller may
 * name functions to treat as missing, so that tests run the fallbacks on a C library that
 * has everything (the process package decides which, ADR 0003).
 */
final class SpawnFunctions {

	static final String CLOSE_FROM = "posix_spawn_file_actions_addclosefrom_np";

	static final String CHANGE_DIRECTORY = "posix_spawn_file_actions_addchdir_np";

	private static final List<String> OPTIONAL = List.of(CLOSE_FROM, CHANGE_DIRECTORY);

	private static final List<String> PRESENT = detect();

	private SpawnFunctions() {
	}

	static boolean has(String function, Set<String> unavailable) {
		return PRESENT.contains(function) && !unavailable.contains(function);
	}

	static List<String> missing(Set<String> unavailable) {
		return OPTIONAL.stream().filter((function) -> !has(function, unavailable)).toList();
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
