package dev.ipcboot.dbus;

import dev.ipcboot.IpcEvent;

/**
 * Published for every signal received on a subscription of {@code ipc.dbus.signals},
 * after the subscription's {@code @IpcListener} methods ran. {@link #resourceName()} is
 * the subscription's name.
 */
public class DBusSignalEvent extends IpcEvent {

	private final DBusSignalMessage signal;

	/**
	 * Create a new event.
	 * @param source the signal channel
	 * @param channel the subscription's name
	 * @param signal the signal
	 */
	public DBusSignalEvent(Object source, String channel, DBusSignalMessage signal) {
		super(source, channel);
		this.signal = signal;
	}

	/**
	 * The signal received.
	 * @return the signal with its sender, path, interface, member and arguments
	 */
	public DBusSignalMessage signal() {
		return this.signal;
	}

}
