package dev.ipcboot.internal.natives;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.jspecify.annotations.Nullable;

/**
 * One process for the life of the system: its pid and its start time (field 22 of
 * {@code /proc/<pid>/stat}, clock ticks after boot), qualified by the boot it ran in
 * ({@code /proc/sys/kernel/random/boot_id}) and its pid namespace. A pid alone is
 * recycled; the pair is not, so an instance whose pid now has another start time (or
 * none) is dead, and so is one of an earlier boot. An instance of another pid namespace
 * (another container sharing the directory) cannot be looked up and counts as alive.
 *
 * @param boot the boot id, without dashes
 * @param namespace the inode of the pid namespace
 * @param pid the process id
 * @param startTicks its start time
 */
record InstanceId(String boot, long namespace, long pid, long startTicks) {

	private static final String PREFIX = "instance-";

	static InstanceId current() {
		long pid = ProcessHandle.current().pid();
		return new InstanceId(currentBoot(), currentNamespace(), pid, startTicks(pid));
	}

	/** For tests: a process of this boot and namespace. */
	static InstanceId of(long pid, long startTicks) {
		return new InstanceId(currentBoot(), currentNamespace(), pid, startTicks);
	}

	String fileName() {
		return PREFIX + this.boot + "-" + this.namespace + "-" + this.pid + "-" + this.startTicks;
	}

	static @Nullable InstanceId parse(String fileName) {
		if (!fileName.startsWith(PREFIX)) {
			return null;
		}
		String[] parts = fileName.substring(PREFIX.length()).split("-");
		try {
			return (parts.length == 4) ? new InstanceId(parts[0], Long.parseLong(parts[1]), Long.parseLong(parts[2]),
					Long.parseLong(parts[3])) : null;
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	/**
	 * Whether the process may still run: of another pid namespace (cannot be told), or of
	 * this boot with the same pid and start time, not a zombie.
	 */
	boolean isRunning() {
		if (!this.boot.equals(currentBoot())) {
			return false;
		}
		if (this.namespace != currentNamespace()) {
			return true;
		}
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

	private static String currentBoot() {
		try {
			return Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip().replace("-", "");
		}
		catch (IOException ex) {
			return "unknown";
		}
	}

	private static long currentNamespace() {
		try {
			String link = Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString();
			return Long.parseLong(link.substring(link.indexOf('[') + 1, link.indexOf(']')));
		}
		catch (IOException | RuntimeException ex) {
			return 0;
		}
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
