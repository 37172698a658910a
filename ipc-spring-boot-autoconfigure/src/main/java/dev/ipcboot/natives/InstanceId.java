package dev.ipcboot.natives;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.jspecify.annotations.Nullable;

/**
 * One process for the life of the system: its pid and its start time (field 22 of
 * {@code /proc/<pid>/stat}, clock ticks after boot). A pid alone is recycled; the pair is
 * not, so an instance whose pid now has another start time (or none) is dead.
 *
 * @param pid the process id
 * @param startTicks its start time
 */
record InstanceId(long pid, long startTicks) {

	private static final String PREFIX = "instance-";

	static InstanceId current() {
		long pid = ProcessHandle.current().pid();
		long start = startTicks(pid);
		return new InstanceId(pid, start);
	}

	String fileName() {
		return PREFIX + this.pid + "-" + this.startTicks;
	}

	static @Nullable InstanceId parse(String fileName) {
		if (!fileName.startsWith(PREFIX)) {
			return null;
		}
		String[] parts = fileName.substring(PREFIX.length()).split("-");
		try {
			return (parts.length == 2) ? new InstanceId(Long.parseLong(parts[0]), Long.parseLong(parts[1])) : null;
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	/** Whether the process still runs: same pid, same start time, not a zombie. */
	boolean isRunning() {
		String[] fields = statFields(this.pid);
		return fields != null && fields[0].charAt(0) != 'Z' && fields[0].charAt(0) != 'X'
				&& Long.parseLong(fields[19]) == this.startTicks;
	}

	/** Whether any process (other than a zombie) has this pid. */
	static boolean isAlive(long pid) {
		String[] fields = statFields(pid);
		return fields != null && fields[0].charAt(0) != 'Z' && fields[0].charAt(0) != 'X';
	}

	static long startTicks(long pid) {
		String[] fields = statFields(pid);
		return (fields != null) ? Long.parseLong(fields[19]) : -1;
	}

	// fields after the command name (which may contain anything), index i = field i + 3
	private static String @Nullable [] statFields(long pid) {
		String stat;
		try {
			stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
		}
		catch (IOException ex) {
			return null;
		}
		return stat.substring(stat.lastIndexOf(')') + 2).split(" ", 21);
	}

}
