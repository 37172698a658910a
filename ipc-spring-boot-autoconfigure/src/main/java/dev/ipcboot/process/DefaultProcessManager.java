package dev.ipcboot.process;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;

import dev.ipcboot.internal.IpcChannelMetrics;
import dev.ipcboot.internal.IpcMetrics;
import dev.ipcboot.internal.IpcResource;
import dev.ipcboot.IpcThreads;
import dev.ipcboot.listener.IpcChannelSource;
import dev.ipcboot.process.internal.ProcessDefinition;
import dev.ipcboot.process.internal.ProcessMachinery;

/**
 * The {@link ProcessManager}: supervises the configured processes, starts the
 * {@code autostart} ones with the application, and on shutdown stops every process it
 * started, in reverse start order, each with its descendants. While an {@code autostart}
 * process is configured, the manager keeps the JVM alive until the context closes, as a
 * server would.
 */
public final class DefaultProcessManager implements ProcessManager, SmartLifecycle {

	private static final Log logger = LogFactory.getLog(DefaultProcessManager.class);

	private final Map<String, SupervisedProcess> supervised = new LinkedHashMap<>();

	private final Map<String, ProcessDefinition> definitions = new LinkedHashMap<>();

	private final ApplicationEventPublisher publisher;

	private final ProcessLauncher launcher;

	/** Supervised processes and ad-hoc runs, in the order they were first started. */
	private final List<Object> startOrder = Collections.synchronizedList(new ArrayList<>());

	private final Set<CapturedRun> runs = ConcurrentHashMap.newKeySet();

	private final DetachedChildren detached = new DetachedChildren();

	private volatile boolean running;

	private volatile boolean closed;

	private final IpcMetrics metrics;

	static {
		ProcessMachinery.register(new ProcessMachinery() {

			@Override
			protected IpcChannelSource createChannels(Collection<ProcessDefinition> definitions) {
				return new ProcessChannels(definitions);
			}

			@Override
			protected DefaultProcessManager createManager(Collection<ProcessDefinition> definitions,
					IpcChannelSource channels, ApplicationEventPublisher publisher, IpcMetrics metrics,
					IpcThreads threads) {
				return new DefaultProcessManager(definitions, (ProcessChannels) channels, publisher, metrics, threads);
			}

			@Override
			protected List<IpcResource> resourcesOf(DefaultProcessManager manager) {
				return manager.resources();
			}

		});
	}

	/**
	 * Create a manager of ad-hoc processes ({@link #start(ProcessSpec)},
	 * {@link #run(ProcessSpec, byte[], Duration, int)},
	 * {@link #startDetached(ProcessSpec)}) whose output pumps and reapers run on platform
	 * threads. The application's manager, which also supervises {@code ipc.processes}, is
	 * created by the auto-configuration.
	 * @param publisher publishes the process events
	 */
	public DefaultProcessManager(ApplicationEventPublisher publisher) {
		this(publisher, IpcThreads.PLATFORM);
	}

	/**
	 * Create a manager of ad-hoc processes whose output pumps and reapers run on the
	 * given threads.
	 * @param publisher publishes the process events
	 * @param threads platform or virtual threads ({@code spring.threads.virtual.enabled})
	 */
	public DefaultProcessManager(ApplicationEventPublisher publisher, IpcThreads threads) {
		this(List.of(), new ProcessChannels(List.of()), publisher, IpcMetrics.NONE, threads);
	}

	/**
	 * Create a manager that supervises the configured processes.
	 * @param definitions the configured processes
	 * @param channels their channels
	 * @param publisher publishes the process events
	 * @param metrics records output lines, starts, restarts and exits
	 * @param threads platform or virtual threads ({@code spring.threads.virtual.enabled})
	 */
	private DefaultProcessManager(Collection<ProcessDefinition> definitions, ProcessChannels channels,
			ApplicationEventPublisher publisher, IpcMetrics metrics, IpcThreads threads) {
		this.metrics = metrics;
		this.publisher = (metrics != IpcMetrics.NONE) ? new MeteredProcessEvents(publisher, metrics) : publisher;
		this.launcher = new ProcessLauncher(definitions.stream().anyMatch(ProcessDefinition::autostart), threads);
		for (ProcessDefinition definition : definitions) {
			ProcessChannel channel = channels.get(definition.name());
			LineSink sink = metered(definition.name(),
					(channel != null) ? channel.sink() : new ForwardedOutput(definition.name()));
			this.definitions.put(definition.name(), definition);
			SupervisedProcess process = new SupervisedProcess(definition, sink, this.launcher, this.publisher);
			this.supervised.put(definition.name(), process);
			if (channel != null) {
				channel.stateFrom(process);
			}
		}
	}

	private LineSink metered(String name, LineSink sink) {
		if (this.metrics == IpcMetrics.NONE) {
			return sink;
		}
		IpcChannelMetrics lines = this.metrics.channel(name, "process");
		return (process, stream, line) -> {
			lines.messageReceived(line.length);
			sink.onLine(process, stream, line);
		};
	}

	/**
	 * The processes, for health and the {@code ipc} endpoint: every configured one (which
	 * reports the state of its current run), then those started with
	 * {@link #start(ProcessSpec)} that are still running.
	 * @return the resources
	 */
	List<IpcResource> resources() {
		List<IpcResource> resources = new ArrayList<>(this.supervised.values());
		synchronized (this.startOrder) {
			for (Object started : this.startOrder) {
				if (started instanceof ChildProcess adHoc && adHoc.state() != ProcessState.NOT_RUNNING) {
					resources.add(new AdHocProcessResource(adHoc));
				}
			}
		}
		return resources;
	}

	@Override
	public ManagedProcess start(String name) {
		SupervisedProcess process = supervised(name);
		checkOpen(name);
		synchronized (this.startOrder) {
			if (!this.startOrder.contains(process)) {
				this.startOrder.add(process);
			}
		}
		return process.start();
	}

	@Override
	public ManagedProcess start(ProcessSpec spec) {
		return startAdHoc(spec, metered(spec.name(), new ForwardedOutput(spec.name())));
	}

	@Override
	public ManagedProcess start(ProcessSpec spec, ProcessOutputHandler output) {
		return startAdHoc(spec, metered(spec.name(),
				(process, stream, line) -> output.onLine(process, stream, new String(line, StandardCharsets.UTF_8))));
	}

	private ManagedProcess startAdHoc(ProcessSpec spec, LineSink sink) {
		checkOpen(spec.name());
		ChildProcess child = new ChildProcess(spec, 1, this.publisher, sink, (ended) -> {
			// keep it for the final stop while descendants it left behind are alive
			if (!ended.hasLeftovers()) {
				this.startOrder.remove(ended);
			}
		});
		this.startOrder.add(child);
		child.start(this.launcher);
		return child;
	}

	@Override
	public ProcessResult run(ProcessSpec spec, byte @Nullable [] stdin, Duration timeout, int maxCaptureBytes) {
		CapturedRun run = new CapturedRun(spec, stdin, timeout, maxCaptureBytes);
		this.runs.add(run);
		try {
			checkOpen(spec.name());
			return run.run(this.launcher);
		}
		finally {
			this.runs.remove(run);
		}
	}

	@Override
	public long startDetached(ProcessSpec spec) {
		checkOpen(spec.name());
		SpawnedProcess child = this.launcher.spawnDetached(spec);
		if (this.launcher.isNative()) {
			this.detached.add(child);
		}
		return child.pid();
	}

	@Override
	public void stop(String name) {
		supervised(name).stop();
	}

	@Override
	public Optional<ManagedProcess> find(String name) {
		return supervised(name).current();
	}

	@Override
	public Set<String> names() {
		return Collections.unmodifiableSet(this.definitions.keySet());
	}

	private SupervisedProcess supervised(String name) {
		SupervisedProcess process = this.supervised.get(name);
		if (process == null) {
			throw new IllegalArgumentException(
					"No process named '" + name + "' under ipc.processes; configured: " + this.definitions.keySet());
		}
		return process;
	}

	private void checkOpen(String name) {
		if (this.closed) {
			throw new IllegalStateException("Cannot start process '" + name + "': the process manager has stopped");
		}
	}

	@Override
	public void start() {
		this.running = true;
		this.launcher.open();
		for (ProcessDefinition definition : this.definitions.values()) {
			if (definition.autostart()) {
				try {
					start(definition.name());
				}
				catch (ProcessStartException ex) {
					// Reported by ProcessFailedToStartEvent; the policy decides the rest.
					logger.error(ex.getMessage());
				}
			}
		}
	}

	@Override
	public void stop() {
		this.closed = true;
		this.runs.forEach(CapturedRun::cancel);
		List<Object> order;
		synchronized (this.startOrder) {
			order = new ArrayList<>(this.startOrder);
		}
		Collections.reverse(order);
		try {
			for (Object process : order) {
				try {
					if (process instanceof SupervisedProcess supervisedProcess) {
						supervisedProcess.stop();
					}
					else {
						((ChildProcess) process).stop();
					}
				}
				catch (RuntimeException ex) {
					logger.error("Stopping " + process + " failed; stopping the others", ex);
				}
			}
		}
		finally {
			this.detached.close();
			this.launcher.close();
			this.running = false;
		}
	}

	// for tests, which look at the guardian's groups
	ProcessLauncher launcher() {
		return this.launcher;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

}
