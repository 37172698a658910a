package dev.ipcboot.process;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.ipcboot.internal.natives.ChildProcesses;
import dev.ipcboot.internal.natives.ChildProcesses.SpawnedChild;

/**
 * Kills the process groups of {@code die-with-parent} children when the application dies,
 * even by SIGKILL, without costing each start anything but one small pipe write. A
 * {@code /bin/sh} script, started once per manager and in a process group of its own,
 * reads its stdin, the read end of a pipe whose write end only the application holds
 * (close-on-exec, and children inherit no descriptor beyond their own three): the
 * application writes {@code +<pgid>:<start>} after spawning a child and
 * {@code -<pgid>:<start>} once the group is gone, where {@code start} is the leader's
 * start time. When the application dies, the kernel closes the write end; the script
 * reads end-of-file and sends SIGKILL to every group it still knows and can prove is
 * still the one the application started (a group id can be reused once the group is
 * empty, and the process that reused it is a stranger, see the script). On an orderly
 * close the application writes {@code q} and the script exits without killing anything
 * (the manager has stopped its processes itself). A guardian that dies while the
 * application runs is replaced at once by a watcher thread
 * ({@code ipc-process-guardian-N}), and the new one is told every live group. Where there
 * is no {@code /bin/sh}, a small JVM runs the same protocol ({@link GuardianMain}).
 */
final class ProcessGuardian implements AutoCloseable {

	static final String SHELL = "/bin/sh";

	static final String NAME = "ipc-process-guardian";

	/**
	 * System property: {@code java} forces the guardian that needs no {@code /bin/sh}.
	 */
	static final String KIND_PROPERTY = "ipcboot.process.guardian";

	// dash's read loop; kill, read and [ are builtins, so the guardian never forks. A
	// group
	// is named by its leader's pid and start time (field 22 of /proc/<pid>/stat). At
	// end-of-file a group is killed only if its leader is still that process; if the
	// leader is gone (reaped, its descendants left), only the members of the group in the
	// application's session started no earlier than the leader are killed, one by one. A
	// stranger that reused the group id (its own session, or a leader with another start
	// time) is left alone.
	private static final String SCRIPT = """
			trap '' HUP INT
			g=' '
			while read -r l; do
			  case $l in
			    +*) g="$g${l#+} " ;;
			    -*) case $g in *" ${l#-} "*) g="${g%% ${l#-} *} ${g#* ${l#-} }" ;; esac ;;
			    q) exit 0 ;;
			  esac
			done
			read -r s < /proc/self/stat
			set -- ${s##*") "}
			m=$4
			for e in $g; do
			  p=${e%:*} t=${e#*:}
			  if { read -r s < /proc/$p/stat; } 2>/dev/null; then
			    set -- ${s##*") "}
			    [ "${20}" = "$t" ] || [ "$t" = -1 ] && kill -9 -$p
			  else
			    for f in /proc/[0-9]*/stat; do
			      { read -r s < $f; } 2>/dev/null || continue
			      set -- ${s##*") "}
			      [ "$3" = "$p" ] && [ "$4" = "$m" ] && [ "${20}" -ge "$t" ] && { f=${f#/proc/}; kill -9 ${f%/stat}; }
			    done
			  fi
			done 2>/dev/null
			""";

	private static final Log logger = LogFactory.getLog(ProcessGuardian.class);

	private static final long CLOSE_TIMEOUT_MILLIS = 5000;

	/** Groups to kill if the application dies, with their leader's start time. */
	private final Map<Integer, Long> groups = new LinkedHashMap<>();

	/** The running guardian, {@code -1} before the first start and once it ended. */
	private int pid = -1;

	private int input = -1;

	private boolean closed;

	private @Nullable Thread watcher;

	/**
	 * Start the guardian unless it runs.
	 * @throws IllegalStateException naming the cause and the fix if it cannot be started
	 */
	synchronized void ensureRunning() {
		if (this.closed) {
			throw new IllegalStateException("The process manager has stopped");
		}
		if (this.pid < 0) {
			start();
		}
	}

	/**
	 * Have a process group killed when the application dies.
	 * @param group the process group id (the child's pid)
	 */
	synchronized void register(int group) {
		ensureRunning();
		forgetEmptyGroups();
		// the child is unreaped, so this is its start time and not a successor's
		long start = ProcStat.startTicks(group);
		this.groups.put(group, start);
		send("+" + group + ":" + start);
	}

	/**
	 * Forget every process group that has no member left, so that its id, once reused, is
	 * left alone. Called when a child ended or was stopped, and before each registration,
	 * which keeps the list to the groups that are alive: a group whose descendants end
	 * unnoticed later is forgotten at the next start at the latest.
	 */
	synchronized void forgetEmptyGroups() {
		for (Map.Entry<Integer, Long> entry : List.copyOf(this.groups.entrySet())) {
			int group = entry.getKey();
			boolean empty;
			try {
				empty = !ChildProcesses.signal(-group, 0) || ledByStranger(group, entry.getValue());
			}
			catch (IllegalStateException ex) {
				// EPERM: members of another user, so not ours and not killable anyway
				empty = true;
			}
			if (empty) {
				forget(group);
			}
		}
	}

	// A live process with the group's number that is not our leader: our group is gone
	// (its number could not be reused while it had a member) and the id is a stranger's.
	private static boolean ledByStranger(int group, long leaderStart) {
		ProcStat leader = ProcStat.read(group);
		return leader != null && leaderStart != ProcStat.UNKNOWN && leader.startTicks() != leaderStart;
	}

	private void forget(int group) {
		Long start = this.groups.remove(group);
		if (this.pid > 0 && !this.closed) {
			try {
				send("-" + group + ":" + start);
			}
			catch (IllegalStateException ex) {
				// the group is gone either way; the next start tries again
				logger.error("Could not replace the process guardian", ex);
			}
		}
	}

	/** The groups the guardian would kill now. */
	synchronized Set<Integer> groups() {
		return Set.copyOf(this.groups.keySet());
	}

	private void send(String line) {
		try {
			ChildProcesses.write(this.input, (line + "\n").getBytes(StandardCharsets.US_ASCII));
		}
		catch (IOException ex) {
			// EPIPE: it died and its watcher has not replaced it yet
			logger.warn("Process guardian (pid " + this.pid + ") is gone (" + ex.getMessage() + "); starting another");
			discard();
			start();
		}
	}

	private void start() {
		@Nullable Path classCopy = useShell() ? null : newClassCopyDirectory();
		SpawnedChild guardian = (classCopy != null) ? startJava(classCopy) : startShell();
		this.pid = guardian.pid();
		this.input = guardian.stdin();
		StringBuilder known = new StringBuilder();
		this.groups.forEach((group, start) -> known.append('+').append(group).append(':').append(start).append('\n'));
		if (!known.isEmpty()) {
			try {
				ChildProcesses.write(this.input, known.toString().getBytes(StandardCharsets.US_ASCII));
			}
			catch (IOException ex) {
				// no watcher reaps this one: end and reap it here
				int failed = this.pid;
				discard();
				ChildProcesses.signal(failed, 9);
				ChildProcesses.await(failed);
				deleteQuietly(classCopy);
				throw new IllegalStateException("The new process guardian (pid " + failed + ") ended at once: " + ex,
						ex);
			}
		}
		// A JVM guardian deletes its class copy once loaded; one killed before that
		// leaves it
		// to its watcher.
		Thread thread = new Thread(() -> {
			watch(guardian.pid());
			deleteQuietly(classCopy);
		}, NAME + "-" + guardian.pid());
		thread.setDaemon(true);
		this.watcher = thread;
		thread.start();
	}

	private static boolean useShell() {
		return !"java".equals(System.getProperty(KIND_PROPERTY)) && Files.isExecutable(Path.of(SHELL));
	}

	private static SpawnedChild startShell() {
		try {
			return SpawnPolicy.spawnReader(SHELL, List.of(NAME, "-c", SCRIPT), List.of("PATH=/usr/bin:/bin"));
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot start the process guardian " + SHELL + " that kills die-with-parent"
					+ " children when the application dies: " + ex.getMessage() + "; install a POSIX shell as " + SHELL
					+ " or set ipc.processes.<name>.die-with-parent=false", ex);
		}
	}

	// Without a shell, the same protocol in a small JVM run from a copy of one class,
	// which the guardian deletes once loaded (a class inside a Boot jar cannot be put on
	// a class path as it is).
	private static Path newClassCopyDirectory() {
		try {
			return Files.createTempDirectory(NAME);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot start the process guardian that kills die-with-parent children when"
					+ " the application dies: there is no " + SHELL + " and the temporary directory for its class"
					+ " failed: " + ex.getMessage() + "; set ipc.processes.<name>.die-with-parent=false", ex);
		}
	}

	private static SpawnedChild startJava(Path copy) {
		Path java = Path.of(System.getProperty("java.home"), "bin", "java");
		String resource = GuardianMain.class.getName().replace('.', '/') + ".class";
		try (InputStream classFile = GuardianMain.class.getClassLoader().getResourceAsStream(resource)) {
			if (classFile == null) {
				throw new IOException("class file " + resource + " not found");
			}
			Path target = copy.resolve(resource);
			Files.createDirectories(target.getParent());
			Files.copy(classFile, target);
			return SpawnPolicy.spawnReader(java.toString(),
					List.of(NAME, "-Xmx16m", "-Xss256k", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
							"-XX:-UsePerfData", "-cp", copy.toString(), GuardianMain.class.getName(), copy.toString()),
					List.of("PATH=/usr/bin:/bin"));
		}
		catch (IOException ex) {
			deleteQuietly(copy);
			throw new IllegalStateException("Cannot start the process guardian that kills die-with-parent children when"
					+ " the application dies: there is no " + SHELL + " and " + java + " failed: " + ex.getMessage()
					+ "; set ipc.processes.<name>.die-with-parent=false", ex);
		}
	}

	private static void deleteQuietly(@Nullable Path directory) {
		if (directory != null && Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
			try (Stream<Path> paths = Files.walk(directory)) {
				paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
			}
			catch (IOException ex) {
				logger.debug("Could not delete " + directory, ex);
			}
		}
	}

	private void discard() {
		ChildProcesses.close(this.input);
		this.input = -1;
		this.pid = -1;
	}

	// Waits without reaping, so that close() may still signal the pid while it is ours
	// and no later guardian can have the same pid while this one is checked here.
	private void watch(int guardianPid) {
		ChildProcesses.awaitEnded(guardianPid);
		synchronized (this) {
			if (this.pid == guardianPid) {
				discard();
				if (!this.closed) {
					logger.warn("Process guardian (pid " + guardianPid + ") ended while the application runs;"
							+ " starting another");
					try {
						start();
					}
					catch (RuntimeException ex) {
						logger.error("Could not replace the process guardian; the next process start tries again", ex);
					}
				}
			}
		}
		ChildProcesses.await(guardianPid);
	}

	/**
	 * Let the guardian exit without killing anything and reap it.
	 */
	@Override
	public void close() {
		Thread thread;
		int guardianPid;
		synchronized (this) {
			this.closed = true;
			thread = this.watcher;
			guardianPid = this.pid;
			if (guardianPid > 0) {
				try {
					ChildProcesses.write(this.input, "q\n".getBytes(StandardCharsets.US_ASCII));
				}
				catch (IOException ex) {
					// it has ended already; its watcher reaps it
				}
				ChildProcesses.close(this.input);
				this.input = -1;
			}
		}
		if (thread == null) {
			return;
		}
		try {
			thread.join(CLOSE_TIMEOUT_MILLIS);
			if (thread.isAlive()) {
				synchronized (this) {
					if (this.pid == guardianPid) {
						logger.warn("Process guardian (pid " + guardianPid + ") did not exit within "
								+ CLOSE_TIMEOUT_MILLIS + " ms; killing it");
						ChildProcesses.signal(guardianPid, ChildProcess.SIGKILL);
					}
				}
				thread.join(TimeUnit.SECONDS.toMillis(5));
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
