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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

import dev.ipcboot.natives.ChildProcesses;
import dev.ipcboot.natives.ChildProcesses.SpawnedChild;

/**
 * Turns a {@link ProcessSpec} into a spawned child, always from one long-lived thread,
 * {@code ipc-process-launcher}, which also runs delayed restarts. The kernel sends the
 * parent-death signal when the <em>thread</em> that spawned a child ends, so spawning
 * from a request thread or a pool thread would kill the child when that thread retires.
 */
final class ProcessLauncher implements AutoCloseable {

	static final String SETPRIV = "/usr/bin/setpriv";

	private static final String NO_SUCH_FILE = "No such file or directory (errno 2)";

	private static final String PERMISSION_DENIED = "Permission denied (errno 13)";

	private final ScheduledThreadPoolExecutor executor;

	private final boolean setprivAvailable = Files.isExecutable(Path.of(SETPRIV));

	private volatile @Nullable Thread thread;

	/**
	 * Create a launcher.
	 * @param keepAlive whether its thread keeps the JVM alive until {@link #close()}, as
	 * a server's threads do, so that an application that only supervises processes does
	 * not exit when its main method returns
	 */
	ProcessLauncher(boolean keepAlive) {
		this.executor = new ScheduledThreadPoolExecutor(1, (task) -> {
			Thread launcher = new Thread(task, "ipc-process-launcher");
			launcher.setDaemon(!keepAlive);
			this.thread = launcher;
			return launcher;
		});
		this.executor.setRemoveOnCancelPolicy(true);
	}

	SpawnedChild spawn(ProcessSpec spec) {
		if (Thread.currentThread() == this.thread) {
			return spawnHere(spec);
		}
		Future<SpawnedChild> result = this.executor.submit(() -> spawnHere(spec));
		try {
			return result.get();
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new IllegalStateException(ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while starting process '" + spec.name() + "'", ex);
		}
	}

	ScheduledFuture<?> schedule(Runnable task, Duration delay) {
		return this.executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
	}

	boolean diesWithParent(ProcessSpec spec) {
		return spec.dieWithParent() && this.setprivAvailable;
	}

	private SpawnedChild spawnHere(ProcessSpec spec) {
		if (!ChildProcesses.isSupported()) {
			throw failure(spec, "managed processes need Linux and JNA",
					"unsupported platform " + System.getProperty("os.name"), null);
		}
		Map<String, String> environment = spec.cleanEnvironment() ? new LinkedHashMap<>()
				: new LinkedHashMap<>(System.getenv());
		environment.putAll(spec.environment());
		List<String> command = spec.shell() ? List.of("/bin/sh", "-c", String.join(" ", spec.command()))
				: spec.command();
		Path directory = (spec.workingDirectory() != null) ? spec.workingDirectory().toAbsolutePath() : null;
		if (directory != null && !Files.isDirectory(directory)) {
			throw failure(spec, "working directory " + directory + " does not exist or is not a directory",
					NO_SUCH_FILE, null);
		}
		String program = resolve(spec, command.get(0), directory, environment.get("PATH"));
		List<String> argv = new ArrayList<>(command.size() + 4);
		String executable = program;
		if (diesWithParent(spec)) {
			executable = SETPRIV;
			argv.addAll(List.of(SETPRIV, "--pdeathsig", "KILL", "--", program));
		}
		else {
			argv.add(command.get(0));
		}
		argv.addAll(command.subList(1, command.size()));
		List<String> entries = new ArrayList<>(environment.size());
		environment.forEach((name, value) -> entries.add(name + "=" + value));
		try {
			return ChildProcesses.spawn(executable, argv, (directory != null) ? directory.toString() : null, entries,
					spec.output() == OutputMode.MERGED);
		}
		catch (IOException ex) {
			throw failure(spec, "spawning " + executable + " failed", ex.getMessage(), ex);
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

	private static ProcessStartException failure(ProcessSpec spec, String problem, String reason,
			@Nullable Throwable cause) {
		return new ProcessStartException(
				"Cannot start process '" + spec.name() + "' with command " + spec.command() + ": " + problem + ": "
						+ reason + "; check the command and working directory (ipc.processes." + spec.name() + ")",
				reason, cause);
	}

	@Override
	public void close() {
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
