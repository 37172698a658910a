package dev.ipcboot.process;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.ipcboot.internal.natives.ChildProcesses.WaitStatus;
import dev.ipcboot.process.SpawnedProcess.OutputSource;

/**
 * One {@link ProcessManager#run}: starts the child, writes its input on a thread of its
 * own ({@code ipc-process-<name>-stdin}), reads standard output on the calling thread and
 * standard error on {@code ipc-process-<name>-stderr} (only when both are pipes), each
 * into a buffer of at most the capture limit, and waits for the exit. When the timeout
 * passes it kills the child, its process group and every descendant, and waits until they
 * are gone.
 */
final class CapturedRun {

	private static final Log logger = LogFactory.getLog(CapturedRun.class);

	private static final int BUFFER_SIZE = 64 * 1024;

	private static final int POLL_MILLIS = 200;

	private static final long MAX_EXIT_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

	private static final Duration KILL_WAIT = Duration.ofSeconds(5);

	private final ProcessSpec spec;

	private final byte @Nullable [] input;

	private final Duration timeout;

	private final int maxCapture;

	private volatile @Nullable SpawnedProcess child;

	private volatile boolean cancelled;

	CapturedRun(ProcessSpec spec, byte @Nullable [] input, Duration timeout, int maxCapture) {
		if (timeout.isNegative() || timeout.isZero()) {
			throw new IllegalArgumentException(
					"Run of process '" + spec.name() + "': the timeout " + timeout + " must be positive");
		}
		if (maxCapture < 0) {
			throw new IllegalArgumentException(
					"Run of process '" + spec.name() + "': the capture limit " + maxCapture + " is negative");
		}
		this.spec = spec.withRedirects(
				(input != null) ? Redirect.PIPE
						: (spec.stdin().type() == Redirect.Type.PIPE) ? Redirect.NULL : spec.stdin(),
				spec.stdout(), spec.stderr());
		this.input = input;
		this.timeout = timeout;
		this.maxCapture = maxCapture;
	}

	ProcessResult run(ProcessLauncher launcher) {
		long start = System.nanoTime();
		long deadline = start + this.timeout.toNanos();
		SpawnedProcess spawned = launcher.spawn(this.spec);
		this.child = spawned;
		if (this.cancelled) {
			killTree(spawned);
		}
		Capture stdout = new Capture(spawned.openOutput("stdout", BUFFER_SIZE));
		Capture stderr = new Capture(spawned.openOutput("stderr", BUFFER_SIZE));
		Thread writer = (this.input != null) ? startWriter(spawned, this.input) : null;
		Thread errors = null;
		boolean timedOut;
		try {
			if (stdout.source != null && stderr.source != null) {
				errors = new Thread(() -> stderr.drain(deadline), threadName("stderr"));
				errors.setDaemon(true);
				errors.start();
			}
			Capture onCaller = (stdout.source != null) ? stdout : stderr;
			timedOut = !onCaller.drain(deadline);
			WaitStatus status = timedOut ? null : awaitExit(spawned, deadline);
			if (status == null || this.cancelled) {
				timedOut = true;
				killTree(spawned);
				status = spawned.await();
			}
			join(errors);
			join(writer);
			if (launcher.isNative() && this.spec.dieWithParent()) {
				launcher.forgetEmptyGroups();
			}
			return new ProcessResult(this.spec.name(), spawned.pid(), status.exitCode(),
					(status.signal() != 0) ? ExitStatus.CRASHED : ExitStatus.NORMAL, status.signal(), stdout.bytes(),
					stderr.bytes(), stdout.truncated || stderr.truncated, timedOut,
					Duration.ofNanos(System.nanoTime() - start));
		}
		finally {
			stdout.close();
			stderr.close();
			spawned.closeStdin();
		}
	}

	/** Kill the run now, as its timeout would; called when the manager stops. */
	void cancel() {
		this.cancelled = true;
		SpawnedProcess spawned = this.child;
		if (spawned != null) {
			killTree(spawned);
		}
	}

	// Pipes at end-of-file usually mean the child is exiting: look again soon, then
	// less often, so that a child that closed its output early costs little.
	private @Nullable WaitStatus awaitExit(SpawnedProcess spawned, long deadline) {
		long pause = 20_000;
		while (!this.cancelled) {
			WaitStatus status = spawned.tryAwait();
			if (status != null) {
				return status;
			}
			if (System.nanoTime() - deadline >= 0) {
				return null;
			}
			LockSupport.parkNanos(pause);
			pause = Math.min(pause * 2, MAX_EXIT_POLL_NANOS);
		}
		return null;
	}

	// Descendants are looked up while the child is unreaped, so that the pid is ours.
	private void killTree(SpawnedProcess spawned) {
		List<ProcessHandle> descendants = Descendants.of(spawned.pid());
		if (spawned.leadsGroup()) {
			spawned.signalGroup(ChildProcess.SIGKILL);
		}
		spawned.signal(ChildProcess.SIGKILL);
		descendants.forEach((descendant) -> Descendants.signal(descendant, ChildProcess.SIGKILL));
		long deadline = System.nanoTime() + KILL_WAIT.toNanos();
		if (!Descendants.awaitGone(descendants, spawned.leadsGroup() ? spawned.pid() : -1, deadline)) {
			logger.warn("Descendants of process '" + this.spec.name() + "' (pid " + spawned.pid()
					+ ") were still alive " + KILL_WAIT + " after SIGKILL");
		}
	}

	private Thread startWriter(SpawnedProcess spawned, byte[] bytes) {
		Thread writer = new Thread(() -> {
			try {
				spawned.writeStdin(bytes);
			}
			catch (IOException ex) {
				// the child exited or closed stdin without reading it all: its result
				// says so
				logger.debug("Process '" + this.spec.name() + "' did not read all of its input", ex);
			}
			finally {
				spawned.closeStdin();
			}
		}, threadName("stdin"));
		writer.setDaemon(true);
		writer.start();
		return writer;
	}

	private String threadName(String role) {
		return "ipc-process-" + this.spec.name() + "-" + role;
	}

	private static void join(@Nullable Thread thread) {
		if (thread == null) {
			return;
		}
		try {
			thread.join(KILL_WAIT.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * One captured stream: keeps the first bytes up to the limit, reads the rest away.
	 */
	private final class Capture {

		private final @Nullable OutputSource source;

		private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

		private volatile boolean truncated;

		Capture(@Nullable OutputSource source) {
			this.source = source;
		}

		/** Read to end-of-file; {@code false} if the deadline or a cancel came first. */
		boolean drain(long deadline) {
			if (this.source == null) {
				return true;
			}
			byte[] buffer = new byte[BUFFER_SIZE];
			try {
				while (!CapturedRun.this.cancelled) {
					long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
					if (left <= 0) {
						return false;
					}
					int read = this.source.read(buffer, (int) Math.min(left, POLL_MILLIS));
					if (read == 0) {
						return true;
					}
					if (read > 0) {
						keep(buffer, read);
					}
				}
				return false;
			}
			catch (IOException ex) {
				throw new UncheckedIOException(
						"Reading the output of process '" + CapturedRun.this.spec.name() + "' failed", ex);
			}
		}

		private void keep(byte[] buffer, int read) {
			int room = CapturedRun.this.maxCapture - this.bytes.size();
			if (read > room) {
				this.truncated = true;
			}
			this.bytes.write(buffer, 0, Math.max(0, Math.min(room, read)));
		}

		byte[] bytes() {
			return this.bytes.toByteArray();
		}

		void close() {
			if (this.source != null) {
				this.source.close();
			}
		}

	}

}
