package dev.ipcboot.dbus;

import java.io.IOException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;

import dev.ipcboot.IpcConfigurationException;

/**
 * Opens and closes the underlying dbus-java connections: never shared (each
 * {@link BusConnection} owns its own), one signal thread so that dbus-java hands signals
 * over in order, and a short connect timeout.
 */
final class Connections {

	private static final Log logger = LogFactory.getLog(Connections.class);

	private Connections() {
	}

	/**
	 * Open a connection.
	 * @throws IpcConfigurationException if the bus cannot be reached on first connect
	 * @throws DBusCallException if it cannot be reached on a reconnection
	 */
	static DBusConnection open(String address, DBusSettings settings, boolean reconnect) {
		try {
			DBusConnectionBuilder builder = DBusConnectionBuilder.forAddress(address)
				.withShared(false)
				.transportConfig()
				.withTimeout(connectTimeoutMillis(settings))
				.back()
				.receivingThreadConfig()
				.withSignalThreadCount(1)
				.connectionConfig();
			DBusConnection connection = BusReader.open(builder::build);
			StandardErrorSocketProvider.warnIfNotChosen();
			return connection;
		}
		catch (DBusException | RuntimeException ex) {
			if (reconnect) {
				throw new DBusCallException("org.freedesktop.DBus.Error.Disconnected",
						"Could not reconnect to " + address + ": " + ex.getMessage(), ex);
			}
			throw new IpcConfigurationException(settings.property() + ".bus", "cannot connect to the " + settings
				.bus() + " bus at " + address + ": " + ex.getMessage(), "Start that bus, or set " + settings.property()
						+ ".bus to private (the starter runs its own bus daemon) or to the address of a running bus.");
		}
	}

	/**
	 * dbus-java waits up to 10 s for a socket to accept by default: far too long for a
	 * bus that is simply absent, and it would hold up every reconnection attempt.
	 */
	private static int connectTimeoutMillis(DBusSettings settings) {
		return (int) Math.min(settings.callTimeout().toMillis(), 2000);
	}

	/**
	 * Close a connection that failed or was lost; the descriptors it received are closed
	 * with it.
	 */
	static void closeQuietly(DBusConnection connection, ReceivedDescriptors received) {
		received.connectionClosing();
		try {
			connection.close();
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Closing a failed or lost D-Bus connection to " + connection.getAddress() + " failed", ex);
		}
	}

}
