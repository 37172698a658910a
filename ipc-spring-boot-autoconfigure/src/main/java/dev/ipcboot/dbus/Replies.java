package dev.ipcboot.dbus;

import java.time.Duration;
import java.util.function.Supplier;

import org.freedesktop.dbus.FileDescriptor;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.messages.Error;
import org.freedesktop.dbus.messages.Message;
import org.freedesktop.dbus.messages.MethodCall;
import org.jspecify.annotations.Nullable;

/**
 * Waits for replies and turns errors into {@link DBusCallException}s, for typed proxies
 * and untyped calls alike.
 */
final class Replies {

	private Replies() {
	}

	/**
	 * Wait for the reply to a call.
	 * @param description describes the call for exceptions; only called on failure, so
	 * that a successful call builds no strings
	 */
	static Message await(MethodCall call, Duration timeout, Supplier<String> description) {
		Message reply = call.getReply(timeout.toMillis());
		if (reply == null) {
			throw new DBusCallTimeoutException(description.get(), timeout);
		}
		if (reply instanceof Error error) {
			throw toException(error, description.get());
		}
		return reply;
	}

	static DBusCallException toException(Error error, String description) {
		String name = (error.getName() != null) ? error.getName() : "org.freedesktop.DBus.Error.Failed";
		String text = firstString(error);
		return new DBusCallException(name, description + " failed: " + name + ((text != null) ? ": " + text : ""));
	}

	private static @Nullable String firstString(Error error) {
		try {
			Object[] parameters = error.getParameters();
			return (parameters != null && parameters.length > 0 && parameters[0] instanceof String text) ? text : null;
		}
		catch (DBusException ex) {
			return null;
		}
	}

	static DBusReply toReply(Message reply, ReceivedDescriptors descriptors, Supplier<String> description) {
		Object[] parameters;
		try {
			parameters = reply.getParameters();
		}
		catch (DBusException ex) {
			throw new DBusCallException("org.freedesktop.DBus.Error.InvalidArgs",
					"Could not read the reply to " + description.get() + ": " + ex.getMessage(), ex);
		}
		Object[] values = new Object[(parameters != null) ? parameters.length : 0];
		for (int i = 0; i < values.length; i++) {
			values[i] = (parameters[i] instanceof FileDescriptor fd) ? descriptors.handle(fd.getIntFileDescriptor())
					: SignalSubscription.jdkShape(parameters[i]);
		}
		return new DBusReply((reply.getSig() != null) ? reply.getSig() : "", values);
	}

}
