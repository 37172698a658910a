package dev.ipcboot.dbus;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Who made the D-Bus call that an exported bean is answering: the caller's unique name
 * (from the call itself) and its user and process ids, which the bus daemon vouches for
 * (it read them from the caller's socket). The ids are asked of the bus once, on the
 * first {@link #uid()} or {@link #pid()}, and not at all if neither is used. Obtain it
 * from {@link DBusCallContext#caller()} inside an exported method.
 */
public final class DBusCaller {

	private final String uniqueName;

	private final BusConnection connection;

	private volatile @Nullable Map<String, Object> credentials;

	DBusCaller(String uniqueName, BusConnection connection) {
		this.uniqueName = uniqueName;
		this.connection = connection;
	}

	/**
	 * The caller's unique name on the bus.
	 * @return the unique name, for example {@code :1.42}
	 */
	public String uniqueName() {
		return this.uniqueName;
	}

	/**
	 * The caller's user id, as the bus daemon saw it when the caller connected.
	 * @return the uid
	 * @throws DBusCallException if the bus does not know it (the caller has left)
	 */
	public long uid() {
		return id("UnixUserID");
	}

	/**
	 * The caller's process id, as the bus daemon saw it when the caller connected.
	 * @return the pid
	 * @throws DBusCallException if the bus does not know it (the caller has left, or the
	 * bus runs where it cannot see the caller's process)
	 */
	public long pid() {
		return id("ProcessID");
	}

	private long id(String key) {
		Map<String, Object> known = this.credentials;
		if (known == null) {
			known = ask();
			this.credentials = known;
		}
		Object value = known.get(key);
		if (!(value instanceof Number number)) {
			throw new DBusCallException("org.freedesktop.DBus.Error.UnixProcessIdUnknown", "The bus did not tell the "
					+ key + " of caller " + this.uniqueName + " (it told " + known.keySet() + ")");
		}
		return number.longValue();
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> ask() {
		return (Map<String, Object>) new DBusTemplate(this.connection)
			.call("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "GetConnectionCredentials",
					"s", this.uniqueName)
			.get(0, Map.class);
	}

	@Override
	public String toString() {
		return "D-Bus caller " + this.uniqueName;
	}

}
