package dev.ipcboot.dbus;

/**
 * A D-Bus method call failed: the peer replied with an error, the destination does not
 * exist, or the connection is gone. {@link #errorName()} is the D-Bus error name (for
 * example {@code org.freedesktop.DBus.Error.ServiceUnknown}), so that callers can react
 * to a specific error without parsing messages.
 */
public class DBusCallException extends RuntimeException {

	private final String errorName;

	/**
	 * Create a new exception.
	 * @param errorName the D-Bus error name
	 * @param message the error message, naming the call
	 * @param cause the underlying failure, if any
	 */
	public DBusCallException(String errorName, String message, Throwable cause) {
		super(message, cause);
		this.errorName = errorName;
	}

	/**
	 * Create a new exception without an underlying cause.
	 * @param errorName the D-Bus error name
	 * @param message the error message, naming the call
	 */
	public DBusCallException(String errorName, String message) {
		super(message);
		this.errorName = errorName;
	}

	/**
	 * The D-Bus error name of the failure.
	 * @return the error name, for example
	 * {@code org.freedesktop.DBus.Error.UnknownMethod}
	 */
	public String errorName() {
		return this.errorName;
	}

}
