package dev.ipcboot.process;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;

import dev.ipcboot.IpcEvent;
import dev.ipcboot.IpcThreads;
import dev.ipcboot.internal.natives.ChildProcesses.WaitStatus;

/**
 * One run of a child: spawns it, pumps its output, reaps it with {@code waitpid} on a
 * thread of its own and publishes its events. The pid stays ours until this class reaps
 * it, so signals sent before that cannot hit a recycled pid.
 */
final class ChildProcess implements ManagedProcess {

	static final int SIGKILL = 9;

	static final int SIGTERM = 15;

	private static final Log logger = LogFactory.getLog(ChildProcess.class);

	private static final long PUMP_DRAIN_MILLIS = 2000;

	private final ProcessSpec spec;

	private final int run;

	private final ApplicationEventPublisher publisher;

	private final LineSink sink;

	private final Consumer<ChildProcess> onEnd;

	private final Object lock = new Object();

	private final CountDownLatch started = new CountDownLatch(1);

	private final CompletableFuture<ManagedProcess> exit = new CompletableFuture<>();

	private final ProcessReplyTarget replyTarget = new ProcessReplyTarget(this);

	private final StdinPipe stdin;

	private volatile ProcessState state = ProcessState.NOT_RUNNING;

	private volatile int pid = -1;

	/** The child's start time (clock ticks), read while it was unreaped. */
	private volatile long startTicks = ProcStat.UNKNOWN;

	private boolean reaped;

	private boolean stopRequested;

	private volatile int exitCode = -1;

	private volatile @Nullable ExitStatus exitStatus;

	private volatile int exitSignal;

	private volatile @Nullable ProcessError error;

	private volatile long startNanos;

	private volatile long endNanos;

	private final OutputPumps pumps = new OutputPumps();

	private volatile @Nullable ProcessLauncher launcher;

	private volatile @Nullable SpawnedProcess spawned;

	ChildProcess(ProcessSpec spec, int run, ApplicationEventPublisher publisher, LineSink sink,
			Consumer<ChildProcess> onEnd) {
		this.spec = spec;
		this.run = run;
		this.publisher = publisher;
		this.sink = sink;
		this.onEnd = onEnd;
		this.stdin = new StdinPipe(spec.name());
	}

	void start(ProcessLauncher launcher) {
		this.state = ProcessState.STARTING;
		SpawnedProcess child;
		try {
			child = launcher.spawn(this.spec);
		}
		catch (RuntimeException failure) {
			ProcessStartException ex = (failure instanceof ProcessStartException startFailure) ? startFailure
					: new ProcessStartException(
							"Cannot start process '" + name() + "' with command " + command() + ": " + failure,
							failure.toString(), failure);
			this.state = ProcessState.NOT_RUNNING;
			this.error = ProcessError.FAILED_TO_START;
			this.started.countDown();
			publish(new ProcessFailedToStartEvent(this, ex));
			this.exit.complete(this);
			this.onEnd.accept(this);
			throw ex;
		}
		this.startNanos = System.nanoTime();
		this.launcher = launcher;
		this.spawned = child;
		this.pid = child.pid();
		this.startTicks = ProcStat.startTicks(child.pid());
		this.stdin.open(child);
		this.state = ProcessState.RUNNING;
		this.started.countDown();
		publish(new ProcessStartedEvent(this));
		startPump(child, "stdout", launcher.threads());
		startPump(child, "stderr", launcher.threads());
		launcher.threads().newThread(threadName("reaper"), this::reap).start();
	}

	private void startPump(SpawnedProcess child, String stream, IpcThreads threads) {
		SpawnedProcess.OutputSource source = child.openOutput(stream, OutputPump.BUFFER_SIZE);
		if (source != null) {
			this.pumps.start(new OutputPump(this, source, stream, this.sink, this.spec), threadName(stream), threads);
		}
	}

	private String threadName(String role) {
		return "ipc-process-" + this.spec.name() + "-" + role + "-" + this.run;
	}

	private void reap() {
		WaitStatus status;
		try {
			status = spawned().await();
		}
		catch (IllegalStateException ex) {
			logger.error("Could not reap process '" + name() + "' (pid " + this.pid
					+ "); reporting exit code -1 as its exit status is unknown", ex);
			status = new WaitStatus(-1, 0, false);
		}
		synchronized (this.lock) {
			this.reaped = true;
		}
		this.endNanos = System.nanoTime();
		this.exitCode = status.exitCode();
		this.exitSignal = status.signal();
		this.exitStatus = (status.signal() != 0) ? ExitStatus.CRASHED : ExitStatus.NORMAL;
		if (status.signal() != 0) {
			this.error = ProcessError.CRASHED;
		}
		forgetGroupIfEmpty();
		// Let the pumps deliver what the child wrote before it ended, so that the
		// finished event follows its last line; a descendant holding the pipe must
		// not delay it long.
		this.pumps.awaitDrained(PUMP_DRAIN_MILLIS);
		this.state = ProcessState.NOT_RUNNING;
		publish(new ProcessFinishedEvent(this, this.exitCode, this.exitStatus, this.exitSignal));
		this.exit.complete(this);
		this.onEnd.accept(this);
	}

	/**
	 * Stop this run and its descendants: SIGTERM to the child, its process group and
	 * every descendant found now, SIGKILL to all of them after the stop timeout, then
	 * stop the pumps.
	 */
	void stop() {
		synchronized (this.lock) {
			if (this.pid < 0 || this.stopRequested) {
				return;
			}
			this.stopRequested = true;
		}
		Duration timeout = this.spec.stopTimeout();
		long deadline = System.nanoTime() + timeout.toNanos();
		List<ProcessHandle> descendants = descendants();
		signalTree(SIGTERM, descendants);
		long group = spawned().leadsGroup() ? this.pid : -1;
		boolean gone = awaitExit(timeout) && Descendants.awaitGone(descendants, group, deadline);
		if (!gone) {
			logger.warn("Process '" + name() + "' (pid " + this.pid + ") or its descendants did not stop within "
					+ timeout + " of SIGTERM; killing them");
			signalTree(SIGKILL, Descendants.union(descendants, descendants()));
			awaitExit(Duration.ofSeconds(5));
		}
		this.pumps.stop();
		this.pumps.awaitDrained(PUMP_DRAIN_MILLIS);
		closeStdin();
		forgetGroupIfEmpty();
	}

	// Only while the child is unreaped is its pid certainly still ours to look up.
	private List<ProcessHandle> descendants() {
		synchronized (this.lock) {
			return this.reaped ? List.of() : Descendants.of(this.pid);
		}
	}

	private void signalTree(int signal, List<ProcessHandle> descendants) {
		sendSignal(signal);
		signalGroup(signal);
		for (ProcessHandle descendant : descendants) {
			// only if it is still the process found (pid and start time, through a pidfd)
			Descendants.signal(descendant, signal);
		}
	}

	/**
	 * Whether members of the child's process group are still there after it ended: the
	 * descendants it left behind, which the next stop must reach.
	 */
	boolean hasLeftovers() {
		return this.pid > 0 && spawned().leadsGroup() && ownsGroup() && spawned().signalGroup(0);
	}

	// The sooner the guardian forgets an empty group, the smaller the chance that a
	// stranger reuses its id before the application dies.
	private void forgetGroupIfEmpty() {
		ProcessLauncher guardedBy = this.launcher;
		if (guardedBy != null && this.spec.dieWithParent()) {
			guardedBy.forgetEmptyGroups();
		}
	}

	// Once reaped, a process with our pid is someone else's and so is a group led by it;
	// our group, if members are left, has no process with its number.
	private boolean ownsGroup() {
		synchronized (this.lock) {
			return !this.reaped || ProcessHandle.of(this.pid).isEmpty();
		}
	}

	private void signalGroup(int signal) {
		if (!spawned().leadsGroup() || !ownsGroup()) {
			return;
		}
		try {
			boolean reaped;
			synchronized (this.lock) {
				reaped = this.reaped;
			}
			if (reaped && signal != 0) {
				// the leader is gone: only members that are provably ours, one by one
				Descendants.signalGroupMembers(this.pid, this.startTicks, signal);
			}
			else {
				spawned().signalGroup(signal);
			}
		}
		catch (IllegalStateException ex) {
			logger.debug("Could not signal process group " + this.pid + " of '" + name() + "'", ex);
		}
	}

	private void sendSignal(int signal) {
		synchronized (this.lock) {
			if (this.pid > 0 && !this.reaped) {
				spawned().signal(signal);
			}
		}
	}

	private SpawnedProcess spawned() {
		SpawnedProcess child = this.spawned;
		if (child == null) {
			throw new IllegalStateException("Process '" + name() + "' has not started");
		}
		return child;
	}

	private boolean awaitExit(Duration timeout) {
		try {
			this.exit.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
			return true;
		}
		catch (TimeoutException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException(ex.getCause());
		}
	}

	private void publish(IpcEvent event) {
		try {
			this.publisher.publishEvent(event);
		}
		catch (RuntimeException ex) {
			logger.warn("A listener of " + event + " failed", ex);
		}
	}

	Duration ranFor() {
		if (this.startNanos == 0 || this.endNanos == 0) {
			return Duration.ZERO;
		}
		return Duration.ofNanos(this.endNanos - this.startNanos);
	}

	boolean failed() {
		return this.error == ProcessError.FAILED_TO_START || this.exitStatus == ExitStatus.CRASHED
				|| this.exitCode != 0;
	}

	ProcessReplyTarget replyTarget() {
		return this.replyTarget;
	}

	@Override
	public String name() {
		return this.spec.name();
	}

	@Override
	public List<String> command() {
		return this.spec.command();
	}

	@Override
	public ProcessState state() {
		return this.state;
	}

	@Override
	public long pid() {
		return this.pid;
	}

	@Override
	public void write(byte[] bytes) {
		try {
			this.stdin.write(bytes);
		}
		catch (UncheckedIOException ex) {
			this.error = ProcessError.WRITE_ERROR;
			throw ex;
		}
	}

	@Override
	public void closeStdin() {
		this.stdin.close();
	}

	boolean isStdinOpen() {
		return this.stdin.isOpen();
	}

	@Override
	public boolean waitForStarted(Duration timeout) {
		try {
			return this.started.await(timeout.toNanos(), TimeUnit.NANOSECONDS) && this.pid > 0;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	@Override
	public boolean waitForFinished(Duration timeout) {
		if (awaitExit(timeout)) {
			return this.pid > 0;
		}
		this.error = ProcessError.TIMED_OUT;
		return false;
	}

	@Override
	public CompletableFuture<ManagedProcess> onExit() {
		return this.exit.copy();
	}

	@Override
	public void terminate() {
		sendSignal(SIGTERM);
	}

	@Override
	public void kill() {
		sendSignal(SIGKILL);
	}

	@Override
	public int exitCode() {
		return this.exitCode;
	}

	@Override
	public @Nullable ExitStatus exitStatus() {
		return this.exitStatus;
	}

	@Override
	public int exitSignal() {
		return this.exitSignal;
	}

	@Override
	public @Nullable ProcessError error() {
		return this.error;
	}

	@Override
	public String toString() {
		return "process '" + name() + "' (pid " + this.pid + ", " + this.state + ")";
	}

}
