package dev.ipcboot.process;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;

import dev.ipcboot.internal.IpcResource;
import dev.ipcboot.internal.IpcResourceState;
import dev.ipcboot.IpcResourceStatus;
import dev.ipcboot.process.internal.ProcessDefinition;

/**
 * A configured process under supervision: starts runs, and when a run ends decides from
 * the {@link SupervisionPolicy} whether to start another after a growing delay, or to
 * give up because it restarted too often within the window.
 */
final class SupervisedProcess implements IpcResource {

	private static final Log logger = LogFactory.getLog(SupervisedProcess.class);

	private final ProcessDefinition definition;

	private final LineSink sink;

	private final ProcessLauncher launcher;

	private final ApplicationEventPublisher publisher;

	private final Deque<Long> restartTimes = new ArrayDeque<>();

	/** Earlier runs whose descendants outlived them. */
	private final List<ChildProcess> leftovers = new ArrayList<>();

	// volatile so that state() reads them without taking the lock that ended() holds
	// while it publishes events

	private volatile @Nullable ChildProcess current;

	private volatile @Nullable ScheduledFuture<?> pendingRestart;

	private volatile boolean stopped = true;

	private volatile boolean gaveUp;

	private volatile int restarts;

	private int runs;

	private int failuresInRow;

	SupervisedProcess(ProcessDefinition definition, LineSink sink, ProcessLauncher launcher,
			ApplicationEventPublisher publisher) {
		this.definition = definition;
		this.sink = sink;
		this.launcher = launcher;
		this.publisher = publisher;
	}

	ManagedProcess start() {
		ChildProcess child;
		synchronized (this) {
			if (this.current != null && this.current.state() != ProcessState.NOT_RUNNING && !this.stopped) {
				return this.current;
			}
			cancelPendingRestart();
			this.stopped = false;
			this.gaveUp = false;
			this.failuresInRow = 0;
			this.restartTimes.clear();
			child = newRun();
		}
		return startRun(child);
	}

	private synchronized ChildProcess newRun() {
		ChildProcess child = new ChildProcess(this.definition.spec(), ++this.runs, this.publisher, this.sink,
				this::ended);
		this.current = child;
		return child;
	}

	// A restart runs on the launcher thread, and a listener of the events published
	// while spawning may call back into this process, so the lock is not held while
	// spawning.
	private ChildProcess startRun(ChildProcess child) {
		child.start(this.launcher);
		boolean stopNow;
		synchronized (this) {
			stopNow = this.stopped;
		}
		if (stopNow) {
			child.stop();
		}
		return child;
	}

	private synchronized void ended(ChildProcess child) {
		this.leftovers.removeIf((previous) -> !previous.hasLeftovers());
		if (child.hasLeftovers()) {
			this.leftovers.add(child);
		}
		SupervisionPolicy policy = this.definition.supervision();
		if (this.stopped || child != this.current || !policy.shouldRestart(child.failed())) {
			return;
		}
		long now = System.nanoTime();
		if (child.ranFor().compareTo(policy.restartMaxDelay()) >= 0) {
			this.failuresInRow = 0;
		}
		while (!this.restartTimes.isEmpty() && now - this.restartTimes.peekFirst() > policy.restartWindow().toNanos()) {
			this.restartTimes.removeFirst();
		}
		if (this.restartTimes.size() >= policy.maxRestarts()) {
			logger.error("Process '" + child.name() + "' was restarted " + this.restartTimes.size() + " times within "
					+ policy.restartWindow() + "; giving up. Start it again with ProcessManager.start(\"" + child.name()
					+ "\") once the cause is fixed");
			this.stopped = true;
			this.gaveUp = true;
			this.publisher
				.publishEvent(new ProcessGaveUpEvent(child, this.restartTimes.size(), policy.restartWindow()));
			return;
		}
		int attempt = ++this.failuresInRow;
		Duration delay = policy.delayFor(attempt);
		this.restartTimes.addLast(now);
		this.restarts++;
		logger.info("Restarting process '" + child.name() + "' in " + delay + " (attempt " + attempt + ")");
		this.publisher.publishEvent(new ProcessRestartingEvent(child, attempt, delay));
		this.pendingRestart = this.launcher.schedule(this::restart, delay);
	}

	private void restart() {
		ChildProcess child;
		synchronized (this) {
			if (this.stopped) {
				return;
			}
			child = newRun();
		}
		try {
			startRun(child);
		}
		catch (ProcessStartException ex) {
			// Reported by ProcessFailedToStartEvent; ended() decided what comes next.
			logger.error(ex.getMessage());
		}
	}

	void stop() {
		List<ChildProcess> runs;
		synchronized (this) {
			this.stopped = true;
			cancelPendingRestart();
			runs = new ArrayList<>(this.leftovers);
			this.leftovers.clear();
			if (this.current != null) {
				runs.add(this.current);
			}
		}
		Collections.reverse(runs);
		for (ChildProcess run : runs) {
			run.stop();
		}
	}

	private void cancelPendingRestart() {
		ScheduledFuture<?> pending = this.pendingRestart;
		if (pending != null) {
			pending.cancel(false);
			this.pendingRestart = null;
		}
	}

	@Override
	public String name() {
		return this.definition.name();
	}

	@Override
	public String kind() {
		return "process";
	}

	/**
	 * UP while a run is alive; OUT_OF_SERVICE while it is starting or waiting to be
	 * restarted; DOWN once supervision gave up, or after a failed run the restart policy
	 * does not restart; UNKNOWN before the first start, after a deliberate stop or a
	 * clean exit that is not restarted.
	 * @return the state, with the pid and the number of restarts
	 */
	@Override
	public IpcResourceState state() {
		ChildProcess run = this.current;
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("pid", (run != null) ? run.pid() : -1L);
		details.put("restarts", this.restarts);
		details.put("restart",
				this.definition.supervision().restart().name().toLowerCase(Locale.ROOT).replace('_', '-'));
		if (this.gaveUp) {
			return IpcResourceState.down(ending(run) + "; gave up after " + this.restarts + " restarts", details);
		}
		if (run == null) {
			return new IpcResourceState(IpcResourceStatus.UNKNOWN, "not started", details);
		}
		ProcessState processState = run.state();
		if (processState == ProcessState.RUNNING) {
			return IpcResourceState.up(details);
		}
		if (processState == ProcessState.STARTING) {
			return IpcResourceState.outOfService("starting", details);
		}
		if (this.stopped) {
			return new IpcResourceState(IpcResourceStatus.UNKNOWN, "stopped", details);
		}
		boolean failed = run.failed();
		if (this.definition.supervision().shouldRestart(failed)) {
			return IpcResourceState.outOfService(ending(run) + "; restarting", details);
		}
		if (failed) {
			return IpcResourceState.down(ending(run) + "; not restarted (restart: " + details.get("restart") + ")",
					details);
		}
		return new IpcResourceState(IpcResourceStatus.UNKNOWN, ending(run), details);
	}

	private static String ending(@Nullable ChildProcess run) {
		if (run == null) {
			return "never ran";
		}
		if (run.error() == ProcessError.FAILED_TO_START) {
			return "failed to start";
		}
		if (run.exitStatus() == ExitStatus.CRASHED) {
			return "killed by signal " + run.exitSignal();
		}
		return "exited with code " + run.exitCode();
	}

	synchronized Optional<ManagedProcess> current() {
		return Optional.ofNullable(this.current);
	}

}
