package dev.ipcboot.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.jspecify.annotations.Nullable;

/**
 * The fields of {@code /proc/<pid>/stat} that tell who a process is: its process group,
 * its session and its start time (clock ticks since boot). A pid and its start time
 * together name one process for the life of the system, which a pid alone does not.
 *
 * @param pid the process id
 * @param state the state letter ({@code Z} for a zombie)
 * @param processGroup the process group id
 * @param session the session id
 * @param startTicks the start time in clock ticks after boot
 */
record ProcStat(long pid, char state, long processGroup, long session, long startTicks) {

	/** Start time recorded when none could be read: no check is possible. */
	static final long UNKNOWN = -1;

	/**
	 * Read a process's stat line.
	 * @param pid the process id
	 * @return its fields, or {@code null} if there is no such process (or no /proc)
	 */
	static @Nullable ProcStat read(long pid) {
		String stat;
		try {
			stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
		}
		catch (IOException ex) {
			return null;
		}
		// fields after the command name, which is in parentheses and may contain anything
		String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ", 21);
		return new ProcStat(pid, fields[0].charAt(0), Long.parseLong(fields[2]), Long.parseLong(fields[3]),
				Long.parseLong(fields[19]));
	}

	/**
	 * The start time of a process.
	 * @param pid the process id
	 * @return its start time in clock ticks, or {@link #UNKNOWN}
	 */
	static long startTicks(long pid) {
		ProcStat stat = read(pid);
		return (stat != null) ? stat.startTicks : UNKNOWN;
	}

	boolean isZombie() {
		return this.state == 'Z' || this.state == 'X';
	}

}
