package dev.ipcboot.dbus;

import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.freedesktop.dbus.messages.MethodCall;
import org.jspecify.annotations.Nullable;

import dev.ipcboot.internal.IpcMetrics;
import dev.ipcboot.internal.natives.RefusalLog;

/**
 * What a {@link BusConnection} does with a method call beyond its {@link CallBudget}: it
 * is not run; a caller that expects a reply gets
 * {@code org.freedesktop.DBus.Error.LimitsExceeded} at once, a call sent with
 * {@code NO_REPLY_EXPECTED} is dropped. Both are counted for the life of the connection
 * (across reconnections) and logged at WARN, at most one line every
 * {@link RefusalLog#INTERVAL} with a count of the others.
 */
final class IncomingCallLimit {

	static final String LIMITS_EXCEEDED = "org.freedesktop.DBus.Error.LimitsExceeded";

	// the connection's category, so that logging configured for it still applies
	private static final Log logger = LogFactory.getLog(BusConnection.class);

	private final String connectionName;

	private final AtomicLong refused = new AtomicLong();

	private final AtomicLong dropped = new AtomicLong();

	private volatile @Nullable CallBudget current;

	IncomingCallLimit(String connectionName) {
		this.connectionName = connectionName;
	}

	/** Follow the budget of a new underlying connection. */
	void watch(CallBudget budget) {
		this.current = budget;
	}

	/**
	 * Count and log a call beyond the budget.
	 * @param call the call, not run
	 * @param answered whether the caller gets {@link #LIMITS_EXCEEDED} ({@code false}: it
	 * asked for no reply, so the call is just dropped)
	 */
	void refused(MethodCall call, boolean answered) {
		long refusedSoFar = answered ? this.refused.incrementAndGet() : this.refused.get();
		long droppedSoFar = answered ? this.dropped.get() : this.dropped.incrementAndGet();
		RefusalLog.warn(logger, "D-Bus connection '" + this.connectionName + "' incoming calls",
				"D-Bus connection '" + this.connectionName + "' " + (answered ? "refused" : "dropped") + " a call to "
						+ ((call.getInterface() != null) ? call.getInterface() + "." : "") + call.getName() + " at "
						+ call.getPath() + " from " + call.getSource()
						+ (answered ? " with " + LIMITS_EXCEEDED : " (it expects no reply)") + ": "
						+ CallBudget.MAX_CALLS + " calls or " + (CallBudget.MAX_BYTES >> 20)
						+ " MiB wait for an answer at most; " + refusedSoFar + " refused and " + droppedSoFar
						+ " dropped so far. A peer calls faster than the exported objects answer.");
	}

	/** The text of the error reply. */
	static String errorMessage() {
		return "Too many calls wait for an answer from this connection (at most " + CallBudget.MAX_CALLS + " calls or "
				+ (CallBudget.MAX_BYTES >> 20) + " MiB); this call was not run. Call again later.";
	}

	/** Calls answered with {@link #LIMITS_EXCEEDED} so far. */
	long refused() {
		return this.refused.get();
	}

	/** Calls without reply dropped so far. */
	long dropped() {
		return this.dropped.get();
	}

	/** Calls waiting for their answer now, on the current underlying connection. */
	int pending() {
		CallBudget budget = this.current;
		return (budget != null) ? budget.calls() : 0;
	}

	/** Report the counts as meters of this connection. */
	void meter(IpcMetrics metrics) {
		metrics.dbusCallsRefused(this.connectionName, "error", this::refused);
		metrics.dbusCallsRefused(this.connectionName, "none", this::dropped);
		metrics.dbusCallsPending(this.connectionName, this::pending);
	}

}
