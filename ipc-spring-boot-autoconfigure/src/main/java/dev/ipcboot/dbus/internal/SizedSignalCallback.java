package dev.ipcboot.dbus.internal;

import java.util.function.Consumer;

import dev.ipcboot.dbus.DBusSignalMessage;

/**
 * A subscription callback that also learns each signal's size on the wire, for the byte
 * meters of a {@link DBusSignalChannel}: the size is known only while the signal is still
 * dbus-java's message, before it becomes a {@link DBusSignalMessage}.
 */
@FunctionalInterface
public interface SizedSignalCallback extends Consumer<DBusSignalMessage> {

	/**
	 * Receive a signal.
	 * @param signal the signal
	 * @param bytes its size on the wire (header and body)
	 */
	void accept(DBusSignalMessage signal, int bytes);

	@Override
	default void accept(DBusSignalMessage signal) {
		accept(signal, 0);
	}

	static SizedSignalCallback of(Consumer<DBusSignalMessage> callback) {
		return (callback instanceof SizedSignalCallback sized) ? sized : (signal, bytes) -> callback.accept(signal);
	}

}
