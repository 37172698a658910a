package dev.ipcboot.process;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.jspecify.annotations.Nullable;

import dev.ipcboot.internal.natives.ChildProcesses;
import dev.ipcboot.internal.natives.ProcessSignals;

/**
 * Finds the descendants and process-group members of a child in {@code /proc}, and waits
 * until they are gone. A zombie counts as gone: it has ended, and whoever adopted it
 * reaps it.
 */
final class Descendants {

	private static final Path PROC = Path.of("/proc");

	private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

	private Descendants() {
	}

	static List<ProcessHandle> of(long pid) {
		return ProcessHandle.of(pid).map((handle) -> handle.descendants().toList()).orElse(List.of());
	}

	/**
	 * Signal a process found earlier only if it is still that process: through a pidfd
	 * opened before the check where the kernel has pidfds, so that a pid recycled since
	 * it was found (a stranger) is never hit; without JNA, the JDK's own start-time
	 * check.
	 * @param found the process as found, with its start time
	 * @param signal SIGTERM or SIGKILL
	 * @return whether the signal was sent
	 */
	static boolean signal(ProcessHandle found, int signal) {
		if (ChildProcesses.isSupported()) {
			try {
				return ProcessSignals.signalIfSame((int) found.pid(), signal,
						() -> ProcessHandle.of(found.pid()).filter(found::equals).isPresent());
			}
			catch (IllegalStateException ex) {
				return false; // EPERM: not ours to signal
			}
			catch (LinkageError ex) {
				// no JNA after all: the JDK's check below
			}
		}
		return (signal == ChildProcess.SIGKILL) ? found.destroyForcibly() : found.destroy();
	}

	// the same as signal(ProcessHandle, int) for a process known by its stat line
	private static void signal(ProcStat found, int signal) {
		BooleanSupplier same = () -> {
			ProcStat now = ProcStat.read(found.pid());
			return now != null && now.startTicks() == found.startTicks() && !now.isZombie();
		};
		if (ChildProcesses.isSupported()) {
			try {
				ProcessSignals.signalIfSame((int) found.pid(), signal, same);
				return;
			}
			catch (IllegalStateException ex) {
				return; // EPERM: not ours to signal
			}
			catch (LinkageError ex) {
				// no JNA after all: the check and the JDK's kill below
			}
		}
		ProcessHandle.of(found.pid())
			.filter((handle) -> same.getAsBoolean())
			.ifPresent((signal == ChildProcess.SIGKILL) ? ProcessHandle::destroyForcibly : ProcessHandle::destroy);
	}

	/**
	 * Signal the members of a process group whose leader has ended and been reaped: only
	 * those in this application's session that started no earlier than the leader (the
	 * guardian's rule), each through {@link #signal}. A group id can be reused once the
	 * group has emptied; a stranger's group of that id has another session or members
	 * from before, and is left alone.
	 * @param group the process group id (the leader's pid)
	 * @param leaderStart the leader's start time in clock ticks
	 * @param signal SIGTERM or SIGKILL
	 */
	static void signalGroupMembers(long group, long leaderStart, int signal) {
		ProcStat self = ProcStat.read(ProcessHandle.current().pid());
		if (self == null || leaderStart == ProcStat.UNKNOWN || !Files.isDirectory(PROC)) {
			return;
		}
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, "[0-9]*")) {
			for (Path entry : entries) {
				ProcStat member = ProcStat.read(Long.parseLong(entry.getFileName().toString()));
				if (member != null && !member.isZombie() && member.processGroup() == group
						&& member.session() == self.session() && member.startTicks() >= leaderStart) {
					signal(member, signal);
				}
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot list " + PROC + " to find the processes of group " + group, ex);
		}
	}

	static List<ProcessHandle> union(List<ProcessHandle> first, List<ProcessHandle> second) {
		Set<ProcessHandle> all = new LinkedHashSet<>(first);
		all.addAll(second);
		return new ArrayList<>(all);
	}

	/**
	 * Wait until none of the processes and no member of the process group is alive.
	 * @return {@code true} if they are gone, {@code false} at the deadline
	 */
	static boolean awaitGone(List<ProcessHandle> processes, long processGroup, long deadlineNanos) {
		while (true) {
			if (processes.stream().noneMatch((handle) -> isLive(handle.pid())) && !groupAlive(processGroup)) {
				return true;
			}
			if (System.nanoTime() - deadlineNanos >= 0) {
				return false;
			}
			LockSupport.parkNanos(POLL_NANOS);
		}
	}

	static boolean isLive(long pid) {
		if (!Files.isDirectory(PROC)) {
			// not Linux (the ProcessBuilder launcher): the JDK reaps, so no zombies
			return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
		}
		String stat = readStat(PROC.resolve(Long.toString(pid)));
		return stat != null && !isZombie(stat);
	}

	// processGroup <= 0: the children share the application's group, nothing to watch
	private static boolean groupAlive(long processGroup) {
		if (processGroup <= 0 || !Files.isDirectory(PROC)) {
			return false;
		}
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, "[0-9]*")) {
			for (Path entry : entries) {
				String stat = readStat(entry);
				if (stat != null && !isZombie(stat) && processGroupOf(stat) == processGroup) {
					return true;
				}
			}
			return false;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot list " + PROC + " to find the processes of group " + processGroup,
					ex);
		}
	}

	private static @Nullable String readStat(Path processDirectory) {
		try {
			return Files.readString(processDirectory.resolve("stat"));
		}
		catch (IOException ex) {
			// it ended between listing and reading
			return null;
		}
	}

	// Fields after the command name, which is in parentheses and may contain anything.
	private static String[] fieldsAfterName(String stat) {
		return stat.substring(stat.lastIndexOf(')') + 2).split(" ", 5);
	}

	private static boolean isZombie(String stat) {
		char state = fieldsAfterName(stat)[0].charAt(0);
		return state == 'Z' || state == 'X';
	}

	private static long processGroupOf(String stat) {
		return Long.parseLong(fieldsAfterName(stat)[2]);
	}

}
