package dev.ipcboot.observability;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import dev.ipcboot.internal.IpcChannelMetrics;
import dev.ipcboot.internal.IpcDBusMetrics;
import dev.ipcboot.internal.IpcInvocation;
import dev.ipcboot.internal.IpcInvocationMetrics;
import dev.ipcboot.internal.metrics.MicrometerIpcMetrics;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Meter names, tags and values of the Micrometer facade, for every facility's calls.
 */
class MicrometerIpcMetricsTests {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final MicrometerIpcMetrics metrics = new MicrometerIpcMetrics(this.registry);

	@Test
	void aChannelHandleIsCreatedOnceAndCachesItsMeters() {
		IpcChannelMetrics first = this.metrics.channel("orders", "tcp");
		assertThat(this.metrics.channel("orders", "tcp")).isSameAs(first);
		this.metrics.messageReceived("orders", "tcp", 10);
		first.messageReceived(5);
		assertThat(this.registry.get("ipc.messages")
			.tags("channel", "orders", "transport", "tcp", "direction", "in")
			.counter()
			.count()).isEqualTo(2);
		assertThat(this.registry.get("ipc.bytes").tags("channel", "orders", "direction", "in").counter().count())
			.isEqualTo(15);
	}

	@Test
	void openConnectionsAreAGaugeAndFailuresAreCountedByReason() {
		IpcChannelMetrics orders = this.metrics.channel("orders", "local");
		orders.connectionOpened();
		orders.connectionOpened();
		orders.connectionOpened();
		orders.connectionClosed();
		orders.connectionFailed("oversized-frame");
		orders.connectionFailed("oversized-frame");
		orders.connectionFailed("peer-rejected");
		assertThat(this.registry.get("ipc.connections").tags("channel", "orders", "transport", "local").gauge().value())
			.isEqualTo(2);
		assertThat(this.registry.get("ipc.connection.failures")
			.tags("channel", "orders", "reason", "oversized-frame")
			.counter()
			.count()).isEqualTo(2);
		assertThat(this.registry.get("ipc.connection.failures").tag("reason", "peer-rejected").counter().count())
			.isEqualTo(1);
	}

	@Test
	void clientRequestsAreTimedByOutcome() {
		IpcInvocationMetrics client = this.metrics.client("orders", "tcp");
		for (int i = 0; i < 3; i++) {
			client.start(null).success();
		}
		IpcInvocation failed = client.start(null);
		failed.failure(new IllegalStateException("server gone"));
		assertThat(this.registry.get("ipc.client")
			.tags("client", "orders", "transport", "tcp", "outcome", "success")
			.timer()
			.count()).isEqualTo(3);
		assertThat(this.registry.get("ipc.client").tags("client", "orders", "outcome", "error").timer().count())
			.isEqualTo(1);
	}

	@Test
	void processStartsRestartsAndExitsAreCountedPerProcess() {
		this.metrics.processStarted("worker");
		this.metrics.processExited("worker", "crashed");
		this.metrics.processRestarted("worker");
		this.metrics.processStarted("worker");
		assertThat(this.registry.get("ipc.process.starts").tag("process", "worker").counter().count()).isEqualTo(2);
		assertThat(this.registry.get("ipc.process.restarts").tag("process", "worker").counter().count()).isEqualTo(1);
		assertThat(this.registry.get("ipc.process.exits")
			.tags("process", "worker", "outcome", "crashed")
			.counter()
			.count()).isEqualTo(1);
	}

	@Test
	void dbusHandleIsTakenOnceAndRecordsIntoTheSameMetersAsTheShortcuts() {
		IpcDBusMetrics order = this.metrics.dbus("org.example.Desk", "Order", "in");
		assertThat(this.metrics.dbus("org.example.Desk", "Order", "in")).isSameAs(order);
		order.call(TimeUnit.MILLISECONDS.toNanos(2), null);
		this.metrics.dbusCall("org.example.Desk", "Order", "in", TimeUnit.MILLISECONDS.toNanos(4), null);
		assertThat(this.registry.get("ipc.dbus.calls")
			.tags("interface", "org.example.Desk", "member", "Order", "direction", "in", "outcome", "success")
			.timer()
			.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(6);
		// a method's handle registers no signal counter and, before a failure, no error
		// timer
		assertThat(this.registry.find("ipc.dbus.signals").counters()).isEmpty();
		assertThat(this.registry.find("ipc.dbus.calls").tag("outcome", "error").timers()).isEmpty();
		IpcDBusMetrics placed = this.metrics.dbus("org.example.Desk", "Placed", "in");
		placed.signal();
		placed.signal();
		assertThat(this.registry.get("ipc.dbus.signals").tag("member", "Placed").counter().count()).isEqualTo(2);
	}

	@Test
	void dbusCallsSignalsAndLockWaitsAreRecorded() {
		this.metrics.dbusCall("org.example.Desk", "Order", "out", TimeUnit.MILLISECONDS.toNanos(3), null);
		this.metrics.dbusCall("org.example.Desk", "Order", "out", TimeUnit.MILLISECONDS.toNanos(5),
				new IllegalStateException("no reply"));
		this.metrics.dbusSignal("org.freedesktop.login1.Manager", "PrepareForShutdown", "in");
		this.metrics.lockWait("frames", "shared memory", TimeUnit.MILLISECONDS.toNanos(2));
		this.metrics.lockWait("frames", "shared memory", TimeUnit.MILLISECONDS.toNanos(1));
		assertThat(this.registry.get("ipc.dbus.calls")
			.tags("interface", "org.example.Desk", "member", "Order", "direction", "out", "outcome", "success")
			.timer()
			.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(3);
		assertThat(this.registry.get("ipc.dbus.calls").tag("outcome", "error").timer().count()).isEqualTo(1);
		assertThat(this.registry.get("ipc.dbus.signals")
			.tags("member", "PrepareForShutdown", "direction", "in")
			.counter()
			.count()).isEqualTo(1);
		assertThat(this.registry.get("ipc.lock.wait")
			.tags("resource", "frames", "kind", "shared memory")
			.timer()
			.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(3);
	}

}
