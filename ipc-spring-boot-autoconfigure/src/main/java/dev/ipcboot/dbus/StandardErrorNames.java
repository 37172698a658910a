package dev.ipcboot.dbus;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The error names the D-Bus specification defines, in place of the ones dbus-java sends.
 * dbus-java names every error reply after the Java class of its exception, so an unknown
 * method comes back as {@code org.freedesktop.dbus.errors.UnknownMethod} and an exception
 * thrown by an exported bean (which dbus-java wraps) as
 * {@code org.freedesktop.dbus.exceptions.DBusExecutionException}, where {@code busctl},
 * GDBus, Qt and libdbus programs test for
 * {@code org.freedesktop.DBus.Error.UnknownMethod} and
 * {@code org.freedesktop.DBus.Error.Failed}. Names of the application's own
 * {@code DBusExecutionException} subclasses are kept: they are its error names.
 */
final class StandardErrorNames {

	private static final String STANDARD = "org.freedesktop.DBus.Error.";

	private static final String DBUS_JAVA_ERRORS = "org.freedesktop.dbus.errors.";

	private static final Map<String, String> RENAMED = Map.ofEntries(
			Map.entry(DBUS_JAVA_ERRORS + "InvalidMethodArgument", STANDARD + "InvalidArgs"),
			Map.entry("org.freedesktop.dbus.exceptions.DBusExecutionException", STANDARD + "Failed"));

	private StandardErrorNames() {
	}

	/**
	 * The standard name to send instead of the given one.
	 * @param name the error name dbus-java put on the reply
	 * @return the standard name, or {@code null} to keep the name as it is
	 */
	static @Nullable String standardFor(@Nullable String name) {
		if (name == null) {
			return null;
		}
		String renamed = RENAMED.get(name);
		if (renamed != null) {
			return renamed;
		}
		if (name.startsWith(DBUS_JAVA_ERRORS)) {
			// UnknownMethod, UnknownObject, ServiceUnknown, NoReply, AccessDenied...: the
			// same simple names as the specification's
			return STANDARD + name.substring(DBUS_JAVA_ERRORS.length());
		}
		return null;
	}

}
