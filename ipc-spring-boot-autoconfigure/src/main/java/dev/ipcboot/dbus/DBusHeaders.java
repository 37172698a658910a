package dev.ipcboot.dbus;

/**
 * Names of the message headers a D-Bus signal channel sets, for use with {@code @Header}
 * on {@link dev.ipcboot.listener.IpcListener} methods. The header every channel sets is
 * {@link dev.ipcboot.listener.IpcHeaders#CHANNEL}.
 */
public final class DBusHeaders {

	/** Unique bus name of the sender of the signal ({@code String}). */
	public static final String SENDER = "ipc_dbusSender";

	/** Object path of the signal ({@code String}). */
	public static final String PATH = "ipc_dbusPath";

	/** Interface of the signal ({@code String}). */
	public static final String INTERFACE = "ipc_dbusInterface";

	/** Member (signal name) of the signal ({@code String}). */
	public static final String MEMBER = "ipc_dbusMember";

	private DBusHeaders() {
	}

}
