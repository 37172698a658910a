package dev.ipcboot.internal;

import org.jspecify.annotations.Nullable;

/**
 * Meters of one D-Bus member (a method or a signal of one interface) in one direction,
 * obtained once from {@link IpcMetrics#dbus} and kept by the proxy, exported object or
 * subscription that uses it, so that recording a call or a signal is an increment without
 * any lookup. Implementations must never throw.
 */
public interface IpcDBusMetrics {

	/** Records nothing. */
	IpcDBusMetrics NONE = new IpcDBusMetrics() {
	};

	/**
	 * A method call of this member completed.
	 * @param nanos how long the call took
	 * @param error the failure, or {@code null} when it succeeded
	 */
	default void call(long nanos, @Nullable Throwable error) {
	}

	/**
	 * A signal of this member was received or emitted.
	 */
	default void signal() {
	}

}
