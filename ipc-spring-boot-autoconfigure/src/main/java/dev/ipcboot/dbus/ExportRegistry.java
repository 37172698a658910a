package dev.ipcboot.dbus;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.jspecify.annotations.Nullable;

/**
 * The objects a {@link BusConnection} exports, by path, kept so that they can be exported
 * again on every new underlying connection. It does no locking of its own: its owner
 * changes it under the connection's lock, the same lock held while a new connection is
 * restored, so that an object is exported either by that restore or on the connection it
 * made. Methods of exported objects that return a future are answered by its
 * {@link DelayedReplies}; calls beyond the bound of each connection's {@link CallBudget}
 * are refused through its {@link IncomingCallLimit}.
 */
final class ExportRegistry {

	private final Map<String, DBusInterface> exports = new ConcurrentHashMap<>();

	private final String connectionName;

	private final DelayedReplies delayedReplies;

	private final IncomingCallLimit callLimit;

	/**
	 * Create an empty registry.
	 * @param connectionName the connection's configured name, for error messages
	 * @param owner the connection, for the identity of callers of delayed replies
	 * @param executor runs the methods that answer with a delayed reply
	 * @param callLimit counts and logs the calls refused on every underlying connection
	 */
	ExportRegistry(String connectionName, BusConnection owner, Executor executor, IncomingCallLimit callLimit) {
		this.connectionName = connectionName;
		this.delayedReplies = new DelayedReplies(owner, this.exports::get, executor);
		this.callLimit = callLimit;
	}

	/**
	 * Keep an object and export it on the current connection, if there is one.
	 * @throws IllegalStateException if it cannot be exported; it stays kept, to be tried
	 * again on the next connection
	 */
	void add(String path, DBusInterface object, @Nullable DBusConnection current) {
		this.exports.put(path, object);
		if (current != null) {
			exportOn(current, path, object);
		}
	}

	void remove(String path, @Nullable DBusConnection current) {
		this.exports.remove(path);
		if (current != null && current.isConnected()) {
			current.unExportObject(path);
		}
	}

	/**
	 * Export everything on a new connection.
	 * @throws IllegalStateException if an object cannot be exported
	 */
	void exportAll(DBusConnection target) {
		BusReader.limitCalls(target, this.callLimit);
		BusReader.answerDelayed(target, this.delayedReplies);
		for (Map.Entry<String, DBusInterface> export : this.exports.entrySet()) {
			exportOn(target, export.getKey(), export.getValue());
		}
	}

	void unexportAll(DBusConnection target) {
		this.exports.keySet().forEach(target::unExportObject);
	}

	private void exportOn(DBusConnection target, String path, DBusInterface object) {
		try {
			if (DelayedReplies.hasFutureMethods(object)) {
				FutureExportedObject.export(target, path, object);
			}
			else {
				target.exportObject(path, object);
			}
		}
		catch (DBusException | RuntimeException ex) {
			throw new IllegalStateException("Could not export " + object.getClass().getName() + " at " + path
					+ " on D-Bus connection '" + this.connectionName + "': " + ex.getMessage(), ex);
		}
	}

}
