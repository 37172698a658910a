package dev.ipcboot.dbus;

import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBus;
import org.freedesktop.dbus.types.UInt32;

import dev.ipcboot.IpcConfigurationException;

/**
 * Requests the service name and, when another connection owns it, says which one.
 */
final class BusNames {

	private static final String BUS = "org.freedesktop.DBus";

	private static final String BUS_PATH = "/org/freedesktop/DBus";

	private BusNames() {
	}

	static void request(DBusConnection connection, DBusSettings settings) {
		String name = settings.serviceName();
		if (name == null || name.isBlank()) {
			return;
		}
		DBus bus = bus(connection);
		int reply;
		try {
			reply = bus.RequestName(name, new UInt32(DBus.DBUS_NAME_FLAG_DO_NOT_QUEUE)).intValue();
		}
		catch (RuntimeException ex) {
			throw new IpcConfigurationException(settings.property() + ".service-name",
					"the bus refused the name '" + name + "': " + ex.getMessage(),
					"Use a valid bus name (reverse domain, for example dev.example.Desk) that the bus policy lets you own.");
		}
		if (reply != DBus.DBUS_REQUEST_NAME_REPLY_PRIMARY_OWNER
				&& reply != DBus.DBUS_REQUEST_NAME_REPLY_ALREADY_OWNER) {
			throw new IpcConfigurationException(settings.property() + ".service-name",
					"the name '" + name + "' is already owned by " + describeOwner(bus, name) + " on "
							+ connection.getAddress(),
					"Stop the other owner of '" + name + "' or set " + settings.property()
							+ ".service-name to another name.");
		}
	}

	private static String describeOwner(DBus bus, String name) {
		try {
			String owner = bus.GetNameOwner(name);
			try {
				return owner + " (pid " + bus.GetConnectionUnixProcessID(owner) + ")";
			}
			catch (RuntimeException ex) {
				return owner;
			}
		}
		catch (RuntimeException ex) {
			return "another connection";
		}
	}

	private static DBus bus(DBusConnection connection) {
		try {
			return connection.getRemoteObject(BUS, BUS_PATH, DBus.class);
		}
		catch (DBusException ex) {
			throw new IllegalStateException("Could not reach the bus daemon at " + connection.getAddress(), ex);
		}
	}

}
