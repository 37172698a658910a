package dev.ipcboot.dbus;

import java.time.Duration;

/**
 * A D-Bus method call got no reply within its timeout ({@code ipc.dbus.call-timeout} or
 * the timeout given to the call). Its error name is
 * {@code org.freedesktop.DBus.Error.NoReply}, the name libdbus uses for the same case.
 */
public class DBusCallTimeoutException extends DBusCallException {

	/** D-Bus error name of a call without a reply in time. */
	public static final String NO_REPLY = "org.freedesktop.DBus.Error.NoReply";

	private final Duration timeout;

	/**
	 * Create a new exception.
	 * @param call the call, for example {@code org.example.Desk.Status on :1.4 /desk}
	 * @param timeout the timeout that elapsed
	 */
	public DBusCallTimeoutException(String call, Duration timeout) {
		super(NO_REPLY, "No reply to " + call + " within " + timeout.toMillis()
				+ " ms; the peer is busy or hung (raise ipc.dbus.call-timeout if it is merely slow)");
		this.timeout = timeout;
	}

	/**
	 * The timeout that elapsed.
	 * @return the timeout
	 */
	public Duration timeout() {
		return this.timeout;
	}

}
