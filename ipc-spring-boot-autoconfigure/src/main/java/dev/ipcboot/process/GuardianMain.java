package dev.ipcboot.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

/**
 * The process guardian where there is no {@code /bin/sh} (a distroless image): the
 * {@link ProcessGuardian} script's protocol in a small JVM of its own, started with the
 * application's {@code java} from a copy of this one class (it uses nothing but
 * {@code java.base}, so it runs without the application's class path). It reads
 * {@code +<pgid>:<start>}, {@code -<pgid>:<start>} and {@code q} lines from its stdin; at
 * end-of-file it sends SIGKILL to every process of every group it still knows, found in
 * {@code /proc}, while the group is provably the one the application started: its leader
 * is the process with that start time, or, once the leader is gone, the member is in the
 * guardian's session and started no earlier than the leader.
 */
final class GuardianMain {

	private static final Path PROC = Path.of("/proc");

	private static final int KILL_ROUNDS = 10;

	private GuardianMain() {
	}

	/**
	 * Run the guardian.
	 * @param args the directory of the class copy, deleted once loaded
	 * @throws IOException if stdin cannot be read
	 */
	public static void main(String[] args) throws IOException {
		if (args.length > 0) {
			deleteTree(Path.of(args[0]));
		}
		Set<String> groups = new LinkedHashSet<>();
		BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
		String line;
		while ((line = input.readLine()) != null) {
			if (line.startsWith("+")) {
				groups.add(line.substring(1));
			}
			else if (line.startsWith("-")) {
				groups.remove(line.substring(1));
			}
			else if (line.equals("q")) {
				return;
			}
		}
		long[] self = fields(PROC.resolve("self").resolve("stat"));
		long session = (self != null) ? self[3] : -1;
		for (String group : groups) {
			int colon = group.indexOf(':');
			killGroup(Long.parseLong(group.substring(0, colon)), Long.parseLong(group.substring(colon + 1)), session);
		}
	}

	// kill(-pgid) is one system call; here a member forked meanwhile is caught in the
	// next round. ProcessHandle checks the start time, so a recycled pid is left alone.
	private static void killGroup(long group, long leaderStart, long session) {
		long[] leader = fields(PROC.resolve(Long.toString(group)).resolve("stat"));
		if (leader != null && leaderStart != -1 && leader[19] != leaderStart) {
			return; // the id was reused: a stranger's group
		}
		boolean leaderGone = leader == null;
		for (int round = 0; round < KILL_ROUNDS; round++) {
			List<Long> members = members(group, leaderGone, leaderStart, session);
			if (members.isEmpty()) {
				return;
			}
			for (Long pid : members) {
				ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
			}
		}
	}

	private static List<Long> members(long group, boolean leaderGone, long leaderStart, long session) {
		List<Long> members = new ArrayList<>();
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, "[0-9]*")) {
			for (Path entry : entries) {
				long[] fields = fields(entry.resolve("stat"));
				if (fields == null || fields[0] == 'Z' || fields[0] == 'X' || fields[2] != group) {
					continue; // ended while we looked, or not of the group
				}
				if (!leaderGone || (fields[3] == session && fields[19] >= leaderStart)) {
					members.add(Long.parseLong(entry.getFileName().toString()));
				}
			}
		}
		catch (IOException ex) {
			// no /proc: nothing can be found, and nothing more can be done
		}
		return members;
	}

	// The numeric fields of a stat line after the command name (the state as its
	// character), index i holding field i + 3; null if the process has ended.
	private static long @Nullable [] fields(Path stat) {
		String line;
		try {
			line = Files.readString(stat);
		}
		catch (IOException ex) {
			return null;
		}
		String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ", 21);
		long[] numbers = new long[20];
		numbers[0] = fields[0].charAt(0);
		for (int i = 1; i < 20; i++) {
			numbers[i] = Long.parseLong(fields[i]);
		}
		return numbers;
	}

	private static void deleteTree(Path directory) throws IOException {
		try (Stream<Path> paths = Files.walk(directory)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(path);
			}
		}
	}

}
