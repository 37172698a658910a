package dev.ipcboot.internal.natives;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import com.sun.jna.StringArray;
import org.jspecify.annotations.Nullable;

/**
 * Spawns, signals and reaps child processes with {@code posix_spawn(3)} and
 * {@code waitpid(2)}, and moves bytes over their pipes. The starter reaps its own
 * children instead of using {@link ProcessBuilder} because the JDK reports a death by
 * signal N as exit code 128+N, which cannot be told apart from a real exit code;
 * {@code waitpid} gives the exact status. How a child is set apart from the application
 * (its own process group, default signals, no inherited descriptors, the mode of the
 * files its streams create) is the caller's {@link ChildSetup}: the process package
 * decides that policy, this class carries it out (ADR 0015).
 */
public final class ChildProcesses {

	private static final int SPAWN_ATTR_SIZE = 1024;

	private static final int SIGSET_SIZE = 128;

	private static final int SIGINFO_SIZE = 128;

	private static final String DEV_NULL = "/dev/null";

	private static final Path OPEN_DESCRIPTORS = Path.of("/proc/self/fd");

	private static final Object WORKING_DIRECTORY_LOCK = new Object();

	private static volatile @Nullable Boolean supported;

	private ChildProcesses() {
	}

	/**
	 * Whether this platform can spawn processes this way (Linux with the C library
	 * reachable through JNA).
	 * @return {@code true} on Linux
	 */
	public static boolean isSupported() {
		Boolean result = supported;
		if (result == null) {
			try {
				result = Platform.isLinux() && ProcessLibC.INSTANCE != null;
			}
			catch (Throwable ex) {
				result = false;
			}
			supported = result;
		}
		return result;
	}

	/**
	 * The optional spawn functions this C library lacks, each replaced by a fallback:
	 * without {@code posix_spawn_file_actions_addclosefrom_np} the child closes each
	 * descriptor listed in {@code /proc/self/fd} at spawn time; without
	 * {@code posix_spawn_file_actions_addchdir_np} the application changes its own
	 * working directory around the spawn, under a lock.
	 * @param unavailable functions to count as missing although the C library has them
	 * @return the missing functions' names, empty on glibc 2.34+
	 */
	public static List<String> missingFunctions(Set<String> unavailable) {
		return SpawnFunctions.missing(unavailable);
	}

	/**
	 * Start a program with each standard stream a pipe, {@code /dev/null} or a file.
	 * @param executable absolute path of the program
	 * @param argv the arguments, {@code argv[0]} first
	 * @param directory working directory, or {@code null} for the application's
	 * @param environment the whole environment as {@code NAME=value} entries
	 * @param in standard input: {@link Stdio#PIPE}, {@link Stdio#NULL} or a file to read
	 * @param out standard output: a pipe, {@code /dev/null} or a file to write or append
	 * to
	 * @param err standard error: as standard output, or {@link Stdio#STDOUT} to share it
	 * @param setup how the child is set apart from the application
	 * @return the child and the parent's ends of its pipes ({@code -1} where the stream
	 * is not a pipe)
	 * @throws IOException with the operating system's reason when the program cannot be
	 * started or a file cannot be opened
	 */
	public static SpawnedChild spawn(String executable, List<String> argv, @Nullable String directory,
			List<String> environment, Stdio in, Stdio out, Stdio err, ChildSetup setup) throws IOException {
		ProcessLibC c = ProcessLibC.INSTANCE;
		int[] inPipe = null;
		int[] outPipe = null;
		int[] errPipe = null;
		try {
			inPipe = (in.kind() == Stdio.Kind.PIPE) ? pipe() : null;
			outPipe = (out.kind() == Stdio.Kind.PIPE) ? outputPipe(setup.outputPipeSize()) : null;
			errPipe = (err.kind() == Stdio.Kind.PIPE) ? outputPipe(setup.outputPipeSize()) : null;
			int[] stdin = inPipe;
			int[] stdout = outPipe;
			int[] stderr = errPipe;
			int mode = setup.newFileMode();
			int pid = spawn(executable, argv, environment, directory, setup, (actions) -> {
				redirect(c, actions, 0, in, (stdin != null) ? stdin[0] : -1, mode);
				redirect(c, actions, 1, out, (stdout != null) ? stdout[1] : -1, mode);
				redirect(c, actions, 2, err, (stderr != null) ? stderr[1] : -1, mode);
			});
			SpawnedChild child = new SpawnedChild(pid, take(inPipe, 1), take(outPipe, 0), take(errPipe, 0));
			return child;
		}
		finally {
			closeAll(inPipe);
			closeAll(outPipe);
			closeAll(errPipe);
		}
	}

	private static void redirect(ProcessLibC c, Pointer actions, int fd, Stdio target, int pipeEnd, int mode) {
		switch (target.kind()) {
			case PIPE -> c.posix_spawn_file_actions_adddup2(actions, pipeEnd, fd);
			case NULL -> c.posix_spawn_file_actions_addopen(actions, fd, DEV_NULL,
					(fd == 0) ? ProcessLibC.O_RDONLY : ProcessLibC.O_WRONLY, 0);
			case READ -> c.posix_spawn_file_actions_addopen(actions, fd, target.path(), ProcessLibC.O_RDONLY, 0);
			case WRITE -> c.posix_spawn_file_actions_addopen(actions, fd, target.path(),
					ProcessLibC.O_WRONLY | ProcessLibC.O_CREAT | ProcessLibC.O_TRUNC, mode);
			case APPEND -> c.posix_spawn_file_actions_addopen(actions, fd, target.path(),
					ProcessLibC.O_WRONLY | ProcessLibC.O_CREAT | ProcessLibC.O_APPEND, mode);
			case STDOUT -> c.posix_spawn_file_actions_adddup2(actions, 1, fd);
		}
	}

	private static int take(int @Nullable [] pipe, int end) {
		if (pipe == null) {
			return -1;
		}
		int fd = pipe[end];
		pipe[end] = -1;
		return fd;
	}

	private static int spawn(String executable, List<String> argv, List<String> environment, @Nullable String directory,
			ChildSetup setup, Consumer<Pointer> fileActions) throws IOException {
		boolean chdirAction = directory == null
				|| SpawnFunctions.has(SpawnFunctions.CHANGE_DIRECTORY, setup.unavailableFunctions());
		if (chdirAction) {
			return spawn(executable, argv, environment, setup, (actions) -> {
				fileActions.accept(actions);
				if (directory != null) {
					ProcessLibC.INSTANCE.posix_spawn_file_actions_addchdir_np(actions, directory);
				}
			});
		}
		// The child inherits the working directory at spawn time; no other spawn may
		// run in between. Java resolves relative paths against user.dir, not this.
		synchronized (WORKING_DIRECTORY_LOCK) {
			int previous = openDirectory(".");
			try {
				changeDirectory(directory);
				try {
					return spawn(executable, argv, environment, setup, fileActions);
				}
				finally {
					ProcessLibC.INSTANCE.fchdir(previous);
				}
			}
			finally {
				close(previous);
			}
		}
	}

	private static int openDirectory(String path) throws IOException {
		try {
			return ProcessLibC.INSTANCE.open(path,
					ProcessLibC.O_RDONLY | ProcessLibC.O_DIRECTORY | ProcessLibC.O_CLOEXEC);
		}
		catch (LastErrorException ex) {
			throw new IOException("Cannot open the working directory to return to it: " + describe(ex), ex);
		}
	}

	private static void changeDirectory(String directory) throws IOException {
		try {
			ProcessLibC.INSTANCE.chdir(directory);
		}
		catch (LastErrorException ex) {
			throw new IOException("chdir(" + directory + ") failed: " + describe(ex), ex);
		}
	}

	private static int spawn(String executable, List<String> argv, List<String> environment, ChildSetup setup,
			Consumer<Pointer> fileActions) throws IOException {
		ProcessLibC c = ProcessLibC.INSTANCE;
		try (Memory actions = new Memory(SPAWN_ATTR_SIZE);
				Memory attributes = new Memory(SPAWN_ATTR_SIZE);
				Memory noSignals = new Memory(SIGSET_SIZE);
				Memory allSignals = new Memory(SIGSET_SIZE)) {
			c.posix_spawn_file_actions_init(actions);
			c.posix_spawnattr_init(attributes);
			try {
				fileActions.accept(actions);
				if (setup.closeInherited()) {
					closeInherited(c, actions, setup.unavailableFunctions());
				}
				int flags = 0;
				if (setup.defaultSignals()) {
					c.sigemptyset(noSignals);
					c.sigfillset(allSignals);
					c.posix_spawnattr_setsigmask(attributes, noSignals);
					c.posix_spawnattr_setsigdefault(attributes, allSignals);
					flags |= ProcessLibC.POSIX_SPAWN_SETSIGDEF | ProcessLibC.POSIX_SPAWN_SETSIGMASK;
				}
				if (setup.ownProcessGroup()) {
					c.posix_spawnattr_setpgroup(attributes, 0);
					flags |= ProcessLibC.POSIX_SPAWN_SETPGROUP;
				}
				c.posix_spawnattr_setflags(attributes, (short) flags);
				int[] pid = new int[1];
				int error = c.posix_spawn(pid, executable, actions, attributes,
						new StringArray(argv.toArray(String[]::new)),
						new StringArray(environment.toArray(String[]::new)));
				if (error != 0) {
					throw new IOException(c.strerror(error) + " (errno " + error + ")");
				}
				return pid[0];
			}
			finally {
				c.posix_spawn_file_actions_destroy(actions);
				c.posix_spawnattr_destroy(attributes);
			}
		}
	}

	// Without closefrom, close what is open now: a descriptor that another thread opens
	// without close-on-exec between this listing and the spawn is inherited. Closing one
	// that has been closed since is ignored by glibc and musl.
	private static void closeInherited(ProcessLibC c, Pointer actions, Set<String> unavailable) throws IOException {
		if (SpawnFunctions.has(SpawnFunctions.CLOSE_FROM, unavailable)) {
			c.posix_spawn_file_actions_addclosefrom_np(actions, 3);
			return;
		}
		try (DirectoryStream<Path> open = Files.newDirectoryStream(OPEN_DESCRIPTORS)) {
			for (Path entry : open) {
				int fd = Integer.parseInt(entry.getFileName().toString());
				if (fd > 2) {
					c.posix_spawn_file_actions_addclose(actions, fd);
				}
			}
		}
	}

	/**
	 * Wait until a child has ended without reaping it, so that its pid stays reserved (a
	 * zombie) and signals sent to it until {@link #await(int)} cannot hit a recycled pid.
	 * @param pid the child
	 * @throws IllegalStateException if the process is not an unreaped child of ours
	 */
	public static void awaitEnded(int pid) {
		try (Memory info = new Memory(SIGINFO_SIZE)) {
			while (true) {
				try {
					ProcessLibC.INSTANCE.waitid(ProcessLibC.P_PID, pid, info,
							ProcessLibC.WEXITED | ProcessLibC.WNOWAIT);
					return;
				}
				catch (LastErrorException ex) {
					if (ex.getErrorCode() != ProcessLibC.EINTR) {
						throw new IllegalStateException("waitid(" + pid + ") failed: " + describe(ex), ex);
					}
				}
			}
		}
	}

	/**
	 * Wait until a child exits and reap it.
	 * @param pid the child
	 * @return how it ended
	 * @throws IllegalStateException if the process is not an unreaped child of ours
	 */
	public static WaitStatus await(int pid) {
		int[] status = new int[1];
		while (true) {
			try {
				ProcessLibC.INSTANCE.waitpid(pid, status, 0);
				return WaitStatus.of(status[0]);
			}
			catch (LastErrorException ex) {
				if (ex.getErrorCode() != ProcessLibC.EINTR) {
					throw new IllegalStateException("waitpid(" + pid + ") failed: " + describe(ex), ex);
				}
			}
		}
	}

	/**
	 * Reap a child if it has exited, without waiting.
	 * @param pid the child
	 * @return how it ended, or {@code null} while it runs
	 * @throws IllegalStateException if the process is not an unreaped child of ours
	 */
	public static @Nullable WaitStatus tryAwait(int pid) {
		int[] status = new int[1];
		while (true) {
			try {
				int reaped = ProcessLibC.INSTANCE.waitpid(pid, status, ProcessLibC.WNOHANG);
				return (reaped == 0) ? null : WaitStatus.of(status[0]);
			}
			catch (LastErrorException ex) {
				if (ex.getErrorCode() != ProcessLibC.EINTR) {
					throw new IllegalStateException("waitpid(" + pid + ") failed: " + describe(ex), ex);
				}
			}
		}
	}

	/**
	 * Send a signal to a process, or with a negative id to a process group.
	 * @param pid the process, or minus the process group id
	 * @param signal the signal number
	 * @return {@code false} if no such process exists any more
	 * @throws IllegalStateException if the signal is not permitted
	 */
	public static boolean signal(int pid, int signal) {
		try {
			ProcessLibC.INSTANCE.kill(pid, signal);
			return true;
		}
		catch (LastErrorException ex) {
			if (ex.getErrorCode() == ProcessLibC.ESRCH) {
				return false;
			}
			throw new IllegalStateException("kill(" + pid + ", " + signal + ") failed: " + describe(ex), ex);
		}
	}

	/**
	 * Write all bytes to a pipe, blocking while it is full.
	 * @param fd the pipe's write end
	 * @param bytes the bytes
	 * @throws IOException if the reader has gone ({@code EPIPE}) or the write fails
	 */
	public static void write(int fd, byte[] bytes) throws IOException {
		byte[] remaining = bytes;
		while (remaining.length > 0) {
			try {
				int written = ProcessLibC.INSTANCE.write(fd, remaining, remaining.length);
				remaining = java.util.Arrays.copyOfRange(remaining, written, remaining.length);
			}
			catch (LastErrorException ex) {
				if (ex.getErrorCode() != ProcessLibC.EINTR) {
					throw new IOException(describe(ex), ex);
				}
			}
		}
	}

	/**
	 * Close a file descriptor, ignoring one that is already closed.
	 * @param fd the descriptor, negative for none
	 */
	public static void close(int fd) {
		if (fd >= 0) {
			try {
				ProcessLibC.INSTANCE.close(fd);
			}
			catch (LastErrorException ex) {
				// EBADF or EINTR: on Linux the descriptor is released either way
			}
		}
	}

	private static int[] pipe() throws IOException {
		int[] fds = new int[2];
		try {
			ProcessLibC.INSTANCE.pipe2(fds, ProcessLibC.O_CLOEXEC);
			return fds;
		}
		catch (LastErrorException ex) {
			throw new IOException("pipe2 failed: " + describe(ex), ex);
		}
	}

	// Best effort: the limit is /proc/sys/fs/pipe-max-size.
	private static int[] outputPipe(int size) throws IOException {
		int[] fds = pipe();
		if (size <= 0) {
			return fds;
		}
		try {
			ProcessLibC.INSTANCE.fcntl(fds[0], ProcessLibC.F_SETPIPE_SZ, size);
		}
		catch (LastErrorException ex) {
			// EPERM above the system limit: keep the default 64 KiB pipe
		}
		return fds;
	}

	private static void closeAll(int @Nullable [] fds) {
		if (fds != null) {
			for (int fd : fds) {
				close(fd);
			}
		}
	}

	private static String describe(LastErrorException ex) {
		return ProcessLibC.INSTANCE.strerror(ex.getErrorCode()) + " (errno " + ex.getErrorCode() + ")";
	}

	/**
	 * Where a standard stream of a child goes.
	 *
	 * @param kind pipe, {@code /dev/null}, a file, or standard output
	 * @param path the file for {@link Kind#READ}, {@link Kind#WRITE} and
	 * {@link Kind#APPEND}
	 */
	public record Stdio(Kind kind, @Nullable String path) {

		/** A pipe to or from the application. */
		public static final Stdio PIPE = new Stdio(Kind.PIPE, null);

		/** {@code /dev/null}. */
		public static final Stdio NULL = new Stdio(Kind.NULL, null);

		/** Standard error shares standard output. */
		public static final Stdio STDOUT = new Stdio(Kind.STDOUT, null);

		/** What a stream is connected to. */
		public enum Kind {

			/** A pipe to or from the application. */
			PIPE,
			/** {@code /dev/null}. */
			NULL,
			/** A file read as standard input. */
			READ,
			/** A file created or truncated, owner-only when created. */
			WRITE,
			/** A file appended to, created owner-only if missing. */
			APPEND,
			/** Whatever standard output is (for standard error). */
			STDOUT

		}

	}

	/**
	 * How a child is set apart from the application: the spawn policy, decided by the
	 * caller.
	 *
	 * @param ownProcessGroup whether it leads a process group of its own (so that its
	 * descendants can be signalled together)
	 * @param defaultSignals whether every signal gets its default disposition and the
	 * signal mask is emptied
	 * @param closeInherited whether it inherits no descriptor beyond its three standard
	 * streams
	 * @param newFileMode the permission bits of a file one of its streams creates
	 * @param outputPipeSize the capacity to ask for its output pipes, 0 for the system's
	 * default (best effort)
	 * @param unavailableFunctions optional C library functions to treat as missing, so
	 * that their fallbacks run
	 */
	public record ChildSetup(boolean ownProcessGroup, boolean defaultSignals, boolean closeInherited, int newFileMode,
			int outputPipeSize, Set<String> unavailableFunctions) {

		/**
		 * Create a setup, copying the set of functions.
		 */
		public ChildSetup {
			unavailableFunctions = Set.copyOf(unavailableFunctions);
		}

	}

	/**
	 * A spawned child and the parent's ends of its pipes.
	 *
	 * @param pid process id (also its process group id)
	 * @param stdin write end of its standard input
	 * @param stdout read end of its standard output
	 * @param stderr read end of its standard error, {@code -1} when merged
	 */
	public record SpawnedChild(int pid, int stdin, int stdout, int stderr) {
	}

	/**
	 * How a child ended, decoded from the status {@code waitpid} reports.
	 *
	 * @param exitCode the exit code, or {@code -1} when killed by a signal
	 * @param signal the signal that killed it, or {@code 0} when it exited
	 * @param coreDumped whether it dumped core
	 */
	public record WaitStatus(int exitCode, int signal, boolean coreDumped) {

		static WaitStatus of(int status) {
			int termSignal = status & 0x7f;
			if (termSignal == 0) {
				return new WaitStatus((status >> 8) & 0xff, 0, false);
			}
			return new WaitStatus(-1, termSignal, (status & 0x80) != 0);
		}

	}

}
