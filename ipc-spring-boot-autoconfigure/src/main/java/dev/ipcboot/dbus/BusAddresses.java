package dev.ipcboot.dbus;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import dev.ipcboot.IpcConfigurationException;
import dev.ipcboot.dbus.internal.PrivateBusDaemon;

/**
 * Turns the {@code bus} setting into an address: the session bus from
 * {@code DBUS_SESSION_BUS_ADDRESS}, the system bus from {@code DBUS_SYSTEM_BUS_ADDRESS}
 * or its standard socket, {@code private} from a daemon started for the purpose, anything
 * else as an address.
 */
final class BusAddresses {

	static final String SYSTEM_BUS_SOCKET = "/var/run/dbus/system_bus_socket";

	private BusAddresses() {
	}

	static String resolve(DBusSettings settings, Supplier<String> privateDaemon) {
		String bus = settings.bus().trim();
		return switch (bus) {
			case "session" -> session(settings, System.getenv("DBUS_SESSION_BUS_ADDRESS"));
			case "system" -> system(settings, System.getenv("DBUS_SYSTEM_BUS_ADDRESS"));
			case "private" -> privateDaemon.get();
			default -> address(settings, bus);
		};
	}

	static String session(DBusSettings settings, @Nullable String environment) {
		if (environment == null || environment.isBlank()) {
			throw new IpcConfigurationException(settings.property() + ".bus",
					"there is no session bus: DBUS_SESSION_BUS_ADDRESS is not set",
					"Run inside a desktop session, set " + settings.property()
							+ ".bus to private (the starter then runs its own bus daemon) or to the address of a running bus.");
		}
		return environment;
	}

	static String system(DBusSettings settings, @Nullable String environment) {
		if (environment != null && !environment.isBlank()) {
			return environment;
		}
		if (!Files.exists(Path.of(SYSTEM_BUS_SOCKET))) {
			throw new IpcConfigurationException(settings.property() + ".bus",
					"there is no system bus: " + SYSTEM_BUS_SOCKET + " does not exist",
					"Start the system bus (dbus-daemon --system), or set " + settings.property()
							+ ".bus to private or to the address of a running bus.");
		}
		return "unix:path=" + SYSTEM_BUS_SOCKET;
	}

	private static String address(DBusSettings settings, String bus) {
		if (!bus.contains(":") || !bus.contains("=")) {
			throw new IpcConfigurationException(settings.property() + ".bus",
					"'" + bus + "' is neither session, system, private nor a D-Bus address",
					"Use session, system, private, or an address such as unix:path=/run/user/1000/bus.");
		}
		return PrivateBusDaemon.withoutGuid(bus);
	}

}
