package dev.ipcboot.internal.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

import dev.ipcboot.internal.IpcChannelMetrics;
import dev.ipcboot.internal.IpcDBusMetrics;
import dev.ipcboot.internal.IpcInvocationMetrics;
import dev.ipcboot.internal.IpcMetrics;

/**
 * Records the starter's metrics in a Micrometer {@link MeterRegistry}. Meter names are
 * lower-case and dotted, tags are low-cardinality (channel, client, process or resource
 * name, transport, direction, outcome; never a pid, a connection id or a peer). Handles
 * are created once per channel, listener and client and cache their meters, so the hot
 * path is an increment.
 * <p>
 * Listener invocations and client requests are timed here unless an
 * {@link InvocationInstrumentation} is given that observes them instead (so that they are
 * not measured twice).
 */
public class MicrometerIpcMetrics implements IpcMetrics {

	private final MeterRegistry registry;

	private final @Nullable InvocationInstrumentation instrumentation;

	private final Map<String, ChannelMeters> channels = new ConcurrentHashMap<>();

	private final Map<String, IpcInvocationMetrics> listeners = new ConcurrentHashMap<>();

	private final Map<String, IpcInvocationMetrics> clients = new ConcurrentHashMap<>();

	private final Map<String, Timer> lockWaits = new ConcurrentHashMap<>();

	private final Map<DBusKey, IpcDBusMetrics> dbus = new ConcurrentHashMap<>();

	// meters hold their sources weakly: these keep them
	private final Map<String, Object> dbusSources = new ConcurrentHashMap<>();

	/**
	 * Create metrics that time invocations with timers.
	 * @param registry the registry
	 */
	public MicrometerIpcMetrics(MeterRegistry registry) {
		this(registry, null);
	}

	/**
	 * Create metrics.
	 * @param registry the registry
	 * @param instrumentation observes listener invocations and client requests instead of
	 * timing them, or {@code null} to time them
	 */
	public MicrometerIpcMetrics(MeterRegistry registry, @Nullable InvocationInstrumentation instrumentation) {
		this.registry = registry;
		this.instrumentation = instrumentation;
	}

	@Override
	public IpcChannelMetrics channel(String channel, String transport) {
		ChannelMeters meters = this.channels.get(channel);
		return (meters != null) ? meters
				: this.channels.computeIfAbsent(channel, (name) -> new ChannelMeters(this.registry, name, transport));
	}

	@Override
	public IpcInvocationMetrics listener(String channel, String listener) {
		// called once per listener method and channel, at start-up; observations name the
		// listener, timers do not
		String key = (this.instrumentation != null) ? channel + '\n' + listener : channel;
		return this.listeners.computeIfAbsent(key, (ignored) -> {
			Counter errors = Counter.builder("ipc.listener.errors")
				.description("Listener invocations that threw")
				.tag("channel", channel)
				.register(this.registry);
			return (this.instrumentation != null) ? this.instrumentation.listener(channel, listener, errors)
					: new TimedInvocations(this.registry, "ipc.listener", "Listener invocations", errors, "channel",
							channel);
		});
	}

	@Override
	public IpcInvocationMetrics client(String client, String transport) {
		IpcInvocationMetrics metrics = this.clients.get(client);
		return (metrics != null) ? metrics
				: this.clients.computeIfAbsent(client,
						(name) -> (this.instrumentation != null) ? this.instrumentation.client(name, transport)
								: new TimedInvocations(this.registry, "ipc.client", "Client requests", null, "client",
										name, "transport", transport));
	}

	@Override
	public void processStarted(String process) {
		this.registry.counter("ipc.process.starts", "process", process).increment();
	}

	@Override
	public void processRestarted(String process) {
		this.registry.counter("ipc.process.restarts", "process", process).increment();
	}

	@Override
	public void processExited(String process, String outcome) {
		this.registry.counter("ipc.process.exits", "process", process, "outcome", outcome).increment();
	}

	@Override
	public IpcDBusMetrics dbus(String interfaceName, String member, String direction) {
		DBusKey key = new DBusKey(interfaceName, member, direction);
		IpcDBusMetrics meters = this.dbus.get(key);
		return (meters != null) ? meters : this.dbus.computeIfAbsent(key,
				(k) -> new DBusMeters(this.registry, interfaceName, member, direction));
	}

	// for callers that keep no handle (untyped calls and emissions): a map lookup, the
	// meters themselves are registered once
	@Override
	public void dbusCall(String interfaceName, String member, String direction, long nanos, @Nullable Throwable error) {
		dbus(interfaceName, member, direction).call(nanos, error);
	}

	@Override
	public void dbusSignal(String interfaceName, String member, String direction) {
		dbus(interfaceName, member, direction).signal();
	}

	@Override
	public void dbusCallsRefused(String connection, String reply, LongSupplier count) {
		if (this.dbusSources.putIfAbsent("refused\n" + connection + '\n' + reply, count) != null) {
			return;
		}
		FunctionCounter.builder("ipc.dbus.calls.refused", count, (source) -> (double) source.getAsLong())
			.description("D-Bus method calls refused because too many calls were waiting for their answer")
			.tags("connection", connection, "reply", reply)
			.register(this.registry);
	}

	@Override
	public void dbusCallsPending(String connection, IntSupplier pending) {
		if (this.dbusSources.putIfAbsent("pending\n" + connection, pending) != null) {
			return;
		}
		Gauge.builder("ipc.dbus.calls.pending", pending, IntSupplier::getAsInt)
			.description("D-Bus method calls to exported objects waiting for their answer")
			.tag("connection", connection)
			.register(this.registry);
	}

	@Override
	public void lockWait(String resource, String kind, long nanos) {
		// called on every lock of a segment, so the timer is looked up by name alone
		Timer timer = this.lockWaits.get(resource);
		if (timer == null) {
			timer = this.lockWaits.computeIfAbsent(resource,
					(name) -> Timer.builder("ipc.lock.wait")
						.description("Time spent waiting for a shared-memory lock or a semaphore unit")
						.tags("resource", name, "kind", kind)
						.register(this.registry));
		}
		timer.record(nanos, TimeUnit.NANOSECONDS);
	}

	private record DBusKey(String interfaceName, String member, String direction) {
	}

}
