package dev.ipcboot.session;

import java.util.List;

/**
 * How the application talks to logind.
 *
 * @param bus {@code system}, or the address of the bus logind is on
 * @param inhibit what the delay inhibitor locks may hold back, possibly nothing
 * @param who the application's name, shown by {@code systemd-inhibit --list}
 * @param inhibitWithoutListeners whether to hold the locks of {@code inhibit} even when
 * the application has no listener of the event they delay (by default a lock is taken
 * only for {@link SessionShutdownEvent} or {@link SessionSleepEvent} listeners)
 */
public record LogindSettings(String bus, List<InhibitKind> inhibit, String who, boolean inhibitWithoutListeners) {

	/**
	 * Create settings, copying the kinds.
	 * @param bus the bus
	 * @param inhibit the kinds of lock
	 * @param who the application's name
	 * @param inhibitWithoutListeners whether to take the locks without listeners
	 */
	public LogindSettings {
		inhibit = List.copyOf(inhibit);
	}

	/**
	 * Create settings that take a lock only for the events the application listens for.
	 * @param bus the bus
	 * @param inhibit the kinds of lock
	 * @param who the application's name
	 */
	public LogindSettings(String bus, List<InhibitKind> inhibit, String who) {
		this(bus, inhibit, who, false);
	}

}
