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

/**
 * The process guardian where there is no {@code /bin/sh} (a distroless image): the
 * {@link ProcessGuardian} script's protocol in a small JVM of its own, started with the
 * application's {@code java} from a copy of this one class (it uses nothing but
 * {@code java.base}, so it runs without the application's class path). It reads
 * {@code +<pgid>}, {@code -<pgid>} and {@code q} lines from its stdin; at end-of-file it
 * sends SIGKILL to every process of every group it still knows, found in {@code /proc}.
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
		Set<Long> groups = new LinkedHashSet<>();
		BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
		String line;
		while ((line = input.readLine()) != null) {
			if (line.startsWith("+")) {
				groups.add(Long.parseLong(line.substring(1)));
			}
			else if (line.startsWith("-")) {
				groups.remove(Long.parseLong(line.substring(1)));
			}
			else if (line.equals("q")) {
				return;
			}
		}
		for (Long group : groups) {
			killGroup(group);
		}
	}

	// kill(-pgid) is one system call; here a member forked meanwhile is caught in the
	// next round. ProcessHandle checks the start time, so a recycled pid is left alone.
	private static void killGroup(long group) {
		for (int round = 0; round < KILL_ROUNDS; round++) {
			List<Long> members = members(group);
			if (members.isEmpty()) {
				return;
			}
			for (Long pid : members) {
				ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
			}
		}
	}

	private static List<Long> members(long group) {
		List<Long> members = new ArrayList<>();
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, "[0-9]*")) {
			for (Path entry : entries) {
				String stat;
				try {
					stat = Files.readString(entry.resolve("stat"));
				}
				catch (IOException ex) {
					continue; // it ended while we looked
				}
				String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ", 4);
				boolean ended = fields[0].equals("Z") || fields[0].equals("X");
				if (!ended && Long.parseLong(fields[2]) == group) {
					members.add(Long.parseLong(entry.getFileName().toString()));
				}
			}
		}
		catch (IOException ex) {
			// no /proc: nothing can be found, and nothing more can be done
		}
		return members;
	}

	private static void deleteTree(Path directory) throws IOException {
		try (Stream<Path> paths = Files.walk(directory)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(path);
			}
		}
	}

}
