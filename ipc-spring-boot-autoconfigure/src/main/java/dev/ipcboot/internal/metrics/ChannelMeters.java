package dev.ipcboot.internal.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import dev.ipcboot.internal.IpcChannelMetrics;

/**
 * The meters of one channel, registered once when the handle is created.
 */
final class ChannelMeters implements IpcChannelMetrics {

	private final MeterRegistry registry;

	private final String channel;

	private final String transport;

	private final Counter messagesIn;

	private final Counter messagesOut;

	private final Counter bytesIn;

	private final Counter bytesOut;

	private final AtomicInteger connections = new AtomicInteger();

	private final Map<String, Counter> failures = new ConcurrentHashMap<>();

	private final Map<String, LongSupplier> sources = new ConcurrentHashMap<>();

	ChannelMeters(MeterRegistry registry, String channel, String transport) {
		this.registry = registry;
		this.channel = channel;
		this.transport = transport;
		this.messagesIn = messages("in");
		this.messagesOut = messages("out");
		this.bytesIn = bytes("in");
		this.bytesOut = bytes("out");
		Gauge.builder("ipc.connections", this.connections, AtomicInteger::get)
			.description("Open connections")
			.tags("channel", channel, "transport", transport)
			.register(registry);
	}

	private Counter messages(String direction) {
		return Counter.builder("ipc.messages")
			.description("Messages received (in) or sent (out)")
			.tags("channel", this.channel, "transport", this.transport, "direction", direction)
			.register(this.registry);
	}

	private Counter bytes(String direction) {
		return Counter.builder("ipc.bytes")
			.description("Payload bytes received (in) or sent (out)")
			.baseUnit("bytes")
			.tags("channel", this.channel, "transport", this.transport, "direction", direction)
			.register(this.registry);
	}

	@Override
	public void messageReceived(int bytes) {
		this.messagesIn.increment();
		this.bytesIn.increment(bytes);
	}

	@Override
	public void messageSent(int bytes) {
		this.messagesOut.increment();
		this.bytesOut.increment(bytes);
	}

	@Override
	public void connectionOpened() {
		this.connections.incrementAndGet();
	}

	@Override
	public void connectionClosed() {
		this.connections.decrementAndGet();
	}

	@Override
	public void connectionFailures(String reason, LongSupplier count) {
		// the meter holds its source weakly: the handle keeps it
		if (this.sources.putIfAbsent(reason, count) != null) {
			return;
		}
		FunctionCounter.builder("ipc.connection.failures", count, (source) -> (double) source.getAsLong())
			.description("Connections refused or closed because of bad input")
			.tags("channel", this.channel, "transport", this.transport, "reason", reason)
			.register(this.registry);
	}

	@Override
	public void connectionFailed(String reason) {
		this.failures
			.computeIfAbsent(reason,
					(key) -> Counter.builder("ipc.connection.failures")
						.description("Connections refused or closed because of bad input")
						.tags("channel", this.channel, "transport", this.transport, "reason", key)
						.register(this.registry))
			.increment();
	}

}
