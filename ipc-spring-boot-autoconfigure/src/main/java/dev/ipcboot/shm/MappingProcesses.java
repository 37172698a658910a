package dev.ipcboot.shm;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What {@code /proc} shows about the other processes that have a file of {@code /dev/shm}
 * mapped: whether there are any, and whether every thread of each is blocked in a futex
 * wait inside that mapping (waiting for the semaphore, so not holding it).
 *
 * <p>
 * What this rests on: only processes that could have opened the file are looked at (when
 * its mode grants nothing to group and others, processes of its owner), and a process
 * whose {@code maps} this process may not read (another user's, or one the kernel hides,
 * such as a sandbox's init) is taken not to have it mapped. A process that has it mapped
 * but a thread of which cannot be inspected (its {@code syscall} file needs ptrace
 * access, which Yama's {@code ptrace_scope} 1 grants only for descendants) makes the
 * answer "cannot tell", never "only waiters". A zombie has no mappings and counts as
 * gone.
 */
final class MappingProcesses {

	private static final Path PROC = Path.of("/proc");

	/** The futex system call number, or -1 where we do not know it. */
	private static final int FUTEX = switch (System.getProperty("os.arch", "").toLowerCase(Locale.ROOT)) {
		case "amd64", "x86_64" -> 202;
		case "aarch64" -> 98;
		default -> -1;
	};

	private MappingProcesses() {
	}

	/**
	 * Whether a live process, this one included, has the file mapped; "cannot tell"
	 * counts as yes.
	 * @param file a file of {@code /dev/shm}
	 * @return whether it may be in use
	 */
	static boolean mapped(Path file) {
		return scan(file, false).map((pids) -> !pids.isEmpty()).orElse(true);
	}

	/**
	 * The other processes that have the file mapped, provided each of them has every
	 * thread blocked in a futex wait on an address inside that mapping. This process is
	 * left out: its own handles know whether they hold the lock.
	 * @param file a semaphore file of {@code /dev/shm}
	 * @return their pids (empty if none has it mapped); empty optional if some process
	 * might be doing anything else with it, or cannot be inspected
	 */
	static Optional<Set<Long>> onlyWaiters(Path file) {
		return (FUTEX < 0) ? Optional.empty() : scan(file, true);
	}

	private static Optional<Set<Long>> scan(Path file, boolean waitersOnly) {
		FileIdentity identity;
		try {
			identity = FileIdentity.of(file);
		}
		catch (NoSuchFileException ex) {
			return Optional.of(Set.of());
		}
		catch (IOException ex) {
			return Optional.empty();
		}
		long self = ProcessHandle.current().pid();
		Set<Long> users = new HashSet<>();
		try (DirectoryStream<Path> processes = Files.newDirectoryStream(PROC, MappingProcesses::isProcess)) {
			for (Path process : processes) {
				long pid = Long.parseLong(process.getFileName().toString());
				if (waitersOnly && pid == self) {
					continue;
				}
				Verdict verdict = inspect(process, identity, waitersOnly);
				if (verdict == Verdict.UNKNOWN) {
					return Optional.empty();
				}
				if (verdict == Verdict.USES) {
					users.add(pid);
				}
			}
		}
		catch (IOException ex) {
			return Optional.empty();
		}
		return Optional.of(users);
	}

	private static boolean isProcess(Path entry) {
		String name = entry.getFileName().toString();
		return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
	}

	private static Verdict inspect(Path process, FileIdentity identity, boolean waitersOnly) {
		try {
			int uid = (Integer) Files.getAttribute(process, "unix:uid");
			if (!identity.openableBy(uid)) {
				return Verdict.NONE;
			}
			List<long[]> ranges;
			try {
				ranges = mappings(process.resolve("maps"), identity);
			}
			catch (AccessDeniedException ex) {
				// not ours to inspect: another user's process, or one the kernel hides
				return Verdict.NONE;
			}
			if (ranges.isEmpty()) {
				return Verdict.NONE;
			}
			if (!waitersOnly) {
				return Verdict.USES;
			}
			try (DirectoryStream<Path> threads = Files.newDirectoryStream(process.resolve("task"))) {
				for (Path thread : threads) {
					if (!waitingInside(thread.resolve("syscall"), ranges)) {
						return Verdict.UNKNOWN;
					}
				}
			}
			return Verdict.USES;
		}
		catch (NoSuchFileException ex) {
			return Verdict.NONE;
		}
		catch (IOException | RuntimeException ex) {
			return Verdict.UNKNOWN;
		}
	}

	private static List<long[]> mappings(Path maps, FileIdentity identity) throws IOException {
		List<long[]> ranges = new ArrayList<>();
		try (BufferedReader reader = Files.newBufferedReader(maps, StandardCharsets.UTF_8)) {
			String line;
			while ((line = reader.readLine()) != null) {
				// start-end perms offset dev inode path
				String[] fields = line.split("\\s+", 6);
				if (fields.length == 6 && identity.matches(Long.parseLong(fields[4]), fields[5])) {
					String[] range = fields[0].split("-");
					ranges
						.add(new long[] { Long.parseUnsignedLong(range[0], 16), Long.parseUnsignedLong(range[1], 16) });
				}
			}
		}
		return ranges;
	}

	private static boolean waitingInside(Path syscall, List<long[]> ranges) throws IOException {
		String[] fields;
		try {
			fields = Files.readString(syscall, StandardCharsets.US_ASCII).trim().split("\\s+");
		}
		catch (NoSuchFileException ex) {
			// the thread ended while we looked
			return true;
		}
		if (fields.length < 2 || !fields[0].equals(Integer.toString(FUTEX))) {
			return false;
		}
		long address = Long.parseUnsignedLong(fields[1].substring(2), 16);
		return ranges.stream()
			.anyMatch((range) -> Long.compareUnsigned(address, range[0]) >= 0
					&& Long.compareUnsigned(address, range[1]) < 0);
	}

	private enum Verdict {

		NONE, USES, UNKNOWN

	}

	private record FileIdentity(String path, long inode, int owner, int mode) {

		static FileIdentity of(Path file) throws IOException {
			return new FileIdentity(file.toString(), (Long) Files.getAttribute(file, "unix:ino"),
					(Integer) Files.getAttribute(file, "unix:uid"), (Integer) Files.getAttribute(file, "unix:mode"));
		}

		boolean openableBy(int uid) {
			return uid == this.owner || (this.mode & 0077) != 0;
		}

		boolean matches(long inode, String path) {
			return inode == this.inode && (path.equals(this.path) || path.equals(this.path + " (deleted)"));
		}

	}

}
