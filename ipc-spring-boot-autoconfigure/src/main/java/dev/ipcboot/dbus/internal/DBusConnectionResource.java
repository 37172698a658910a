package dev.ipcboot.dbus.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.ipcboot.internal.IpcResource;
import dev.ipcboot.internal.IpcResourceState;
import dev.ipcboot.dbus.BusConnection;
import dev.ipcboot.dbus.DBusSettings;

/**
 * The application's bus connection as a resource for health and the {@code ipc} endpoint:
 * up while connected (or not yet needed, since the connection is made on first use), down
 * while the bus is gone and the starter reconnects.
 */
public class DBusConnectionResource implements IpcResource {

	private final BusConnection connection;

	/**
	 * Create the resource.
	 * @param connection the connection to report on
	 */
	public DBusConnectionResource(BusConnection connection) {
		this.connection = connection;
	}

	@Override
	public String name() {
		return "dbus";
	}

	@Override
	public String kind() {
		return "D-Bus connection";
	}

	@Override
	public IpcResourceState state() {
		DBusSettings settings = this.connection.settings();
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("bus", settings.bus());
		if (settings.serviceName() != null) {
			details.put("serviceName", settings.serviceName());
		}
		return switch (this.connection.state()) {
			case CONNECTED -> {
				details.put("uniqueName", this.connection.uniqueName());
				yield IpcResourceState.up(details);
			}
			case NOT_CONNECTED -> {
				details.put("connected", "on first use");
				yield IpcResourceState.up(details);
			}
			case RECONNECTING -> IpcResourceState.down("bus connection lost; reconnecting", details);
			case LOST -> IpcResourceState
				.down("bus connection lost; reconnect is disabled, so the next call" + " connects again", details);
			case CLOSED -> IpcResourceState.outOfService("closed", details);
		};
	}

}
