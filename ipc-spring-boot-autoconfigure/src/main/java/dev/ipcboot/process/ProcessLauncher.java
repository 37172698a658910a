package dev.ipcboot.process;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

import dev.ipcboot.IpcThreads;
import dev.ipcboot.internal.natives.ChildProcesses.Stdio;
import dev.ipcboot.internal.natives.NativeCallException.Condition;

/**
 * Turns a {@link ProcessSpec} into a spawned child on the calling thread, and runs
 * delayed restarts on one thread, {@code ipc-process-launcher}. Children that die with
 * the application are handed to the {@link ProcessGuardian}.
 */
final class ProcessLauncher implements AutoCloseable {

	// the reasons posix_spawn would give, for failures found before spawning
	private static final String NO_SUCH_FILE = Condition.NOT_FOUND.reason();

	private static final String PERMISSION_DENIED = Condition.PERMISSION_DENIED.reason();

	private final ScheduledThreadPoolExecutor executor;

	private final ProcessGuardian guardian = new ProcessGuardian();

	private final boolean keepAlive;

	private final boolean nativeLauncher;

	private final IpcThreads threads;

	/**
	 * Create a launcher.
	 * @param keepAlive whether its thread keeps the JVM alive until {@link #close()}, as
	 * a server's threads do, so that an application that only supervises processes does
	 * not exit when its main method returns
	 * @param threads the threads the children's output pumps and reapers run on
	 */
	ProcessLauncher(boolean keepAlive, IpcThreads threads) {
		this.threads = threads;
		this.executor = new ScheduledThreadPoolExecutor(1, (task) -> {
			Thread launcher = new Thread(task, "ipc-process-launcher");
			launcher.setDaemon(!keepAlive);
			return launcher;
		});
		this.executor.setRemoveOnCancelPolicy(true);
		this.keepAlive = keepAlive;
		this.nativeLauncher = LauncherSupport.nativeLauncher();
	}

	/**
	 * The threads the children's output pumps and reapers run on.
	 */
	IpcThreads threads() {
		return this.threads;
	}

	/**
	 * Whether children are spawned natively (exact exit status, process groups,
	 * die-with-parent) rather than with {@link ProcessBuilder}.
	 */
	boolean isNative() {
		return this.nativeLauncher;
	}

	/**
	 * Start the launcher thread now if it keeps the JVM alive (otherwise it starts with
	 * the first restart); called when the application starts, so that a manager that
	 * never starts owns no thread.
	 */
	void open() {
		if (this.keepAlive) {
			this.executor.prestartCoreThread();
		}
	}

	/**
	 * Spawn a child; one that dies with the application is registered with the guardian
	 * before this returns.
	 * @throws ProcessStartException if the program or, for die-with-parent, the guardian
	 * cannot be started
	 */
	SpawnedProcess spawn(ProcessSpec spec) {
		if (!this.nativeLauncher) {
			return JdkLaunch.start(spec, resolve(spec));
		}
		if (spec.dieWithParent()) {
			try {
				this.guardian.ensureRunning();
			}
			catch (IllegalStateException ex) {
				throw failure(spec, "die-with-parent needs the process guardian", ex.getMessage(), ex);
			}
		}
		NativeSpawnedProcess child = spawnHere(spec);
		if (spec.dieWithParent()) {
			try {
				this.guardian.register(child.pid());
			}
			catch (IllegalStateException ex) {
				discard(child);
				throw failure(spec, "die-with-parent needs the process guardian", ex.getMessage(), ex);
			}
		}
		return child;
	}

	// A child the guardian does not know would outlive a crash of the application.
	private static void discard(NativeSpawnedProcess child) {
		child.signalGroup(ChildProcess.SIGKILL);
		child.await();
		child.closePipes();
	}

	/**
	 * Spawn a child that is not supervised and outlives the application: in a process
	 * group of its own (native) and unknown to the guardian; piped streams go to the null
	 * device, as nobody reads them.
	 * @throws ProcessStartException if it cannot be started
	 */
	SpawnedProcess spawnDetached(ProcessSpec spec) {
		ProcessSpec unpiped = spec.withRedirects(unpiped(spec.stdin()), unpiped(spec.stdout()),
				(spec.output() == OutputMode.MERGED) ? Redirect.PIPE : unpiped(spec.stderr()));
		if (!this.nativeLauncher) {
			return JdkLaunch.start(unpiped, resolve(unpiped));
		}
		return spawnHere(unpiped);
	}

	private static Redirect unpiped(Redirect redirect) {
		return (redirect.type() == Redirect.Type.PIPE) ? Redirect.NULL : redirect;
	}

	/**
	 * Have the guardian forget the process groups that are gone; called when a
	 * die-with-parent child ended or was stopped.
	 */
	void forgetEmptyGroups() {
		this.guardian.forgetEmptyGroups();
	}

	// for tests, which look at its groups
	ProcessGuardian guardian() {
		return this.guardian;
	}

	ScheduledFuture<?> schedule(Runnable task, Duration delay) {
		return this.executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
	}

	private NativeSpawnedProcess spawnHere(ProcessSpec spec) {
		ResolvedCommand resolved = resolve(spec);
		try {
			return new NativeSpawnedProcess(SpawnPolicy.spawn(resolved.program(), resolved.command(),
					(resolved.directory() != null) ? resolved.directory().toString() : null,
					resolved.environmentEntries(), stdio(spec.stdin(), true), stdio(spec.stdout(), false),
					(spec.output() == OutputMode.MERGED) ? Stdio.STDOUT : stdio(spec.stderr(), false)));
		}
		catch (IOException ex) {
			throw failure(spec, "spawning " + resolved.program() + " failed", ex.getMessage(), ex);
		}
	}

	private static Stdio stdio(Redirect redirect, boolean input) {
		return switch (redirect.type()) {
			case PIPE -> Stdio.PIPE;
			case NULL -> Stdio.NULL;
			case FILE -> new Stdio(input ? Stdio.Kind.READ : Stdio.Kind.WRITE, String.valueOf(redirect.file()));
			case APPEND -> new Stdio(Stdio.Kind.APPEND, String.valueOf(redirect.file()));
		};
	}

	/**
	 * The program, arguments, directory and environment of a spec, checked: the program
	 * exists and is executable, the directory exists, an input file is readable and an
	 * output file's directory exists.
	 * @throws ProcessStartException naming what is wrong
	 */
	ResolvedCommand resolve(ProcessSpec spec) {
		Map<String, String> environment = spec.cleanEnvironment() ? new LinkedHashMap<>()
				: new LinkedHashMap<>(System.getenv());
		environment.keySet().removeAll(spec.removeEnvironment());
		environment.putAll(spec.environment());
		List<String> command = spec.shell() ? List.of("/bin/sh", "-c", String.join(" ", spec.command()))
				: spec.command();
		Path directory = (spec.workingDirectory() != null) ? spec.workingDirectory().toAbsolutePath() : null;
		if (directory != null && !Files.isDirectory(directory)) {
			throw failure(spec, "working directory " + directory + " does not exist or is not a directory",
					NO_SUCH_FILE, null);
		}
		checkRedirect(spec, "stdin", spec.stdin());
		checkRedirect(spec, "stdout", spec.stdout());
		checkRedirect(spec, "stderr", spec.stderr());
		String program = resolve(spec, command.get(0), directory, environment.get("PATH"));
		return new ResolvedCommand(program, command, directory, environment);
	}

	private void checkRedirect(ProcessSpec spec, String stream, Redirect redirect) {
		Path file = redirect.file();
		if (file == null) {
			return;
		}
		if (stream.equals("stdin")) {
			if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
				throw failure(spec, stream + " file " + file + " does not exist or is not readable",
						Files.exists(file) ? PERMISSION_DENIED : NO_SUCH_FILE, null);
			}
		}
		else if (file.getParent() != null && !Files.isDirectory(file.getParent())) {
			throw failure(spec, "the directory of " + stream + " file " + file + " does not exist", NO_SUCH_FILE, null);
		}
	}

	private String resolve(ProcessSpec spec, String name, @Nullable Path directory, @Nullable String path) {
		if (name.contains("/")) {
			Path program = (directory != null) ? directory.resolve(name) : Path.of(name).toAbsolutePath();
			return check(spec, program, "program " + program);
		}
		String searchPath = (path != null) ? path : System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
		Path notExecutable = null;
		for (String entry : searchPath.split(File.pathSeparator)) {
			Path candidate = Path.of(entry.isEmpty() ? "." : entry, name);
			if (Files.isRegularFile(candidate)) {
				if (Files.isExecutable(candidate)) {
					return candidate.toAbsolutePath().toString();
				}
				notExecutable = candidate;
			}
		}
		if (notExecutable != null) {
			return check(spec, notExecutable, "program " + notExecutable);
		}
		throw failure(spec, "program '" + name + "' is not on the PATH (" + searchPath + ")", NO_SUCH_FILE, null);
	}

	private String check(ProcessSpec spec, Path program, String description) {
		if (!Files.exists(program)) {
			throw failure(spec, description + " does not exist", NO_SUCH_FILE, null);
		}
		if (!Files.isRegularFile(program) || !Files.isExecutable(program)) {
			throw failure(spec, description + " is not an executable file", PERMISSION_DENIED, null);
		}
		return program.toString();
	}

	static ProcessStartException failure(ProcessSpec spec, String problem, String reason, @Nullable Throwable cause) {
		return new ProcessStartException(
				"Cannot start process '" + spec.name() + "' with command " + spec.command() + ": " + problem + ": "
						+ reason + "; check the command and working directory (ipc.processes." + spec.name() + ")",
				reason, cause);
	}

	@Override
	public void close() {
		this.guardian.close();
		this.executor.shutdownNow();
		try {
			if (!this.executor.awaitTermination(5, TimeUnit.SECONDS)) {
				throw new IllegalStateException("Thread ipc-process-launcher did not stop within 5 s");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
