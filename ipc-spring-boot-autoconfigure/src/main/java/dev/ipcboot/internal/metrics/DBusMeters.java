package dev.ipcboot.internal.metrics;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

import dev.ipcboot.internal.IpcDBusMetrics;

/**
 * The meters of one D-Bus member in one direction. Each meter is registered on first use
 * (a method handle never creates a signal counter, a call that never fails never creates
 * the error timer) and kept, so that every later record is an increment.
 */
final class DBusMeters implements IpcDBusMetrics {

	private final MeterRegistry registry;

	private final String interfaceName;

	private final String member;

	private final String direction;

	// registering the same meter twice returns the same meter, so a race here is harmless
	private volatile @Nullable Timer successes;

	private volatile @Nullable Timer errors;

	private volatile @Nullable Counter signals;

	DBusMeters(MeterRegistry registry, String interfaceName, String member, String direction) {
		this.registry = registry;
		this.interfaceName = interfaceName;
		this.member = member;
		this.direction = direction;
	}

	@Override
	public void call(long nanos, @Nullable Throwable error) {
		Timer timer = (error != null) ? this.errors : this.successes;
		if (timer == null) {
			timer = Timer.builder("ipc.dbus.calls")
				.description("D-Bus method calls")
				.tags("interface", this.interfaceName, "member", this.member, "direction", this.direction, "outcome",
						(error != null) ? "error" : "success")
				.register(this.registry);
			if (error != null) {
				this.errors = timer;
			}
			else {
				this.successes = timer;
			}
		}
		timer.record(nanos, TimeUnit.NANOSECONDS);
	}

	@Override
	public void signal() {
		Counter counter = this.signals;
		if (counter == null) {
			counter = Counter.builder("ipc.dbus.signals")
				.description("D-Bus signals received (in) or emitted (out)")
				.tags("interface", this.interfaceName, "member", this.member, "direction", this.direction)
				.register(this.registry);
			this.signals = counter;
		}
		counter.increment();
	}

}
