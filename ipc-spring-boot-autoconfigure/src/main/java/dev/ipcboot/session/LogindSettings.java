package dev.ipcboot.session;

import java.util.List;

/**
 * How the application talks to logind.
 *
 * @param bus {@code system}, or the address of the bus logind is on
 * @param inhibit what the delay inhibitor locks hold back, possibly nothing
 * @param who the application's name, shown by {@code systemd-inhibit --list}
 */
public record LogindSettings(String bus, List<InhibitKind> inhibit, String who) {

	/**
	 * Create settings, copying the kinds.
	 * @param bus the bus
	 * @param inhibit the kinds of lock
	 * @param who the application's name
	 */
	public LogindSettings {
		inhibit = List.copyOf(inhibit);
	}

}
