package dev.ipcboot.internal;

import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;

/**
 * The metrics facade that facilities call on their hot paths, so that they need neither
 * Micrometer nor Actuator on the class path. The starter defines one bean of this type:
 * backed by Micrometer when a {@code MeterRegistry} exists, {@link #NONE} otherwise.
 * <p>
 * Per-message calls go through handles obtained once per channel or client
 * ({@link #channel}, {@link #listener}, {@link #client}, {@link #dbus}) and kept in a
 * field, so that recording a message is a counter increment without any lookup. Every
 * method has a no-op default; implementations must never throw.
 */
public interface IpcMetrics {

	/** Records nothing; used when Micrometer is absent. */
	IpcMetrics NONE = new IpcMetrics() {
	};

	/**
	 * The metrics of one message channel (a socket server, a D-Bus signal subscription, a
	 * process's output). Obtain once per channel and keep it.
	 * @param channel the channel name
	 * @param transport a short lower-case transport name: {@code local}, {@code tcp},
	 * {@code dbus}, {@code process}
	 * @return the handle, the same one for the same channel
	 */
	default IpcChannelMetrics channel(String channel, String transport) {
		return IpcChannelMetrics.NONE;
	}

	/**
	 * A message arrived on a channel; a shortcut for
	 * {@code channel(channel, transport).messageReceived(bytes)} for code that keeps no
	 * handle (it costs a map lookup).
	 * @param channel the channel name
	 * @param transport the transport
	 * @param bytes the message size in bytes
	 */
	default void messageReceived(String channel, String transport, int bytes) {
		channel(channel, transport).messageReceived(bytes);
	}

	/**
	 * A message was written on a channel; a shortcut for
	 * {@code channel(channel, transport).messageSent(bytes)}.
	 * @param channel the channel name
	 * @param transport the transport
	 * @param bytes the message size in bytes
	 */
	default void messageSent(String channel, String transport, int bytes) {
		channel(channel, transport).messageSent(bytes);
	}

	/**
	 * The metrics (and, when enabled, observations) of listener invocations on one
	 * channel. The listener adapter obtains it once per listener method and channel.
	 * @param channel the channel name
	 * @param listener the description of the listener method
	 * @return the handle
	 */
	default IpcInvocationMetrics listener(String channel, String listener) {
		return IpcInvocationMetrics.NONE;
	}

	/**
	 * The metrics (and, when enabled, observations) of the requests of one client
	 * ({@code ipc.clients.<name>}). Obtain once per client and keep it.
	 * @param client the client name
	 * @param transport {@code local} or {@code tcp}
	 * @return the handle
	 */
	default IpcInvocationMetrics client(String client, String transport) {
		return IpcInvocationMetrics.NONE;
	}

	/**
	 * A managed process was started (the first time or after a restart).
	 * @param process the process name
	 */
	default void processStarted(String process) {
	}

	/**
	 * A supervised process is being restarted after it exited.
	 * @param process the process name
	 */
	default void processRestarted(String process) {
	}

	/**
	 * A managed process exited.
	 * @param process the process name
	 * @param outcome {@code normal} (exit code 0), {@code failed} (non-zero exit code) or
	 * {@code crashed} (killed by a signal)
	 */
	default void processExited(String process, String outcome) {
	}

	/**
	 * The meters of one D-Bus member in one direction. Obtain once per remote method,
	 * exported method or signal subscription and keep it. By default the handle reports
	 * to {@link #dbusCall} and {@link #dbusSignal}.
	 * @param interfaceName the D-Bus interface
	 * @param member the method or signal name
	 * @param direction {@code in} (received: calls to our exported objects, signals
	 * delivered to a subscription) or {@code out} (calls we make, signals we emit)
	 * @return the handle
	 */
	default IpcDBusMetrics dbus(String interfaceName, String member, String direction) {
		if (this == NONE) {
			return IpcDBusMetrics.NONE;
		}
		return new IpcDBusMetrics() {

			@Override
			public void call(long nanos, @Nullable Throwable error) {
				dbusCall(interfaceName, member, direction, nanos, error);
			}

			@Override
			public void signal() {
				dbusSignal(interfaceName, member, direction);
			}

		};
	}

	/**
	 * A D-Bus method call completed, made by us ({@code out}, through the template) or
	 * made to one of our exported objects ({@code in}).
	 * @param interfaceName the D-Bus interface
	 * @param member the method name
	 * @param direction {@code in} or {@code out}
	 * @param nanos how long the call took
	 * @param error the failure, or {@code null} when it succeeded
	 */
	default void dbusCall(String interfaceName, String member, String direction, long nanos,
			@Nullable Throwable error) {
	}

	/**
	 * A D-Bus signal was received by a subscription ({@code in}) or emitted by us
	 * ({@code out}).
	 * @param interfaceName the D-Bus interface
	 * @param member the signal name
	 * @param direction {@code in} or {@code out}
	 */
	default void dbusSignal(String interfaceName, String member, String direction) {
	}

	/**
	 * The method calls a D-Bus connection refused because too many calls to its exported
	 * objects were waiting for their answer, counted by the connection and read when the
	 * meter is read. Call once per connection and kind of refusal.
	 * @param connection the connection name ({@code dbus} for {@code ipc.dbus})
	 * @param reply {@code error} (answered with
	 * {@code org.freedesktop.DBus.Error.LimitsExceeded}) or {@code none} (sent with
	 * {@code NO_REPLY_EXPECTED}, dropped)
	 * @param count reads the count so far; it never decreases
	 */
	default void dbusCallsRefused(String connection, String reply, LongSupplier count) {
	}

	/**
	 * The method calls to a D-Bus connection's exported objects that wait for their
	 * answer (queued, running or waiting for a delayed reply), read when the meter is
	 * read. Call once per connection.
	 * @param connection the connection name
	 * @param pending reads the number now
	 */
	default void dbusCallsPending(String connection, IntSupplier pending) {
	}

	/**
	 * A caller waited for a shared-memory lock or a semaphore unit.
	 * @param resource the resource name ({@code ipc.shared-memory.<name>} or
	 * {@code ipc.semaphores.<name>})
	 * @param kind {@code shared memory} or {@code semaphore}
	 * @param nanos how long the caller waited (whether or not it got the lock)
	 */
	default void lockWait(String resource, String kind, long nanos) {
	}

}
