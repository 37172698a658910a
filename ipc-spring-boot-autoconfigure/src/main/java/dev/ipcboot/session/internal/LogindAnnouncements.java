package dev.ipcboot.session.internal;

import java.util.Map;

import dev.ipcboot.dbus.DBusSignalMessage;
import dev.ipcboot.session.InhibitKind;
import dev.ipcboot.session.SessionShutdownEvent;

/**
 * What the application does when logind announces a shutdown or a sleep: publish the
 * event, let the save phase run, then release the inhibitor lock so the machine proceeds;
 * and take the lock again when the shutdown is cancelled or the machine wakes. Each
 * method runs on the thread of its signal subscription, so the announcements of one kind
 * are handled one at a time and in order.
 */
final class LogindAnnouncements {

	private final SessionEventPublisher events;

	private final InhibitorLocks locks;

	private boolean preparingForShutdown;

	LogindAnnouncements(SessionEventPublisher events, InhibitorLocks locks) {
		this.events = events;
		this.locks = locks;
	}

	/**
	 * {@code PrepareForShutdown(b)} or {@code PrepareForShutdownWithMetadata(b, a{sv})}.
	 */
	void prepareForShutdown(DBusSignalMessage signal) {
		boolean active = Boolean.TRUE.equals(signal.arg(0));
		SessionShutdownEvent.Reason reason = (signal.args().length > 1 && isReboot(signal.arg(1)))
				? SessionShutdownEvent.Reason.LOGIND_REBOOT : SessionShutdownEvent.Reason.LOGIND_SHUTDOWN;
		synchronized (this) {
			if (active == this.preparingForShutdown) {
				return;
			}
			this.preparingForShutdown = active;
			if (active) {
				try {
					this.events.shutdown(reason, null);
				}
				finally {
					this.locks.release(InhibitKind.SHUTDOWN);
				}
			}
			else {
				this.events.shutdownCancelled();
				this.locks.take(InhibitKind.SHUTDOWN);
			}
		}
	}

	/**
	 * Whether the metadata of {@code PrepareForShutdownWithMetadata} says
	 * {@code type=reboot}, {@code soft-reboot} or {@code kexec}. Values inside a map
	 * arrive as dbus-java variants, which this package does not name, so the type is read
	 * from the value's string form.
	 */
	static boolean isReboot(Object metadata) {
		if (!(metadata instanceof Map<?, ?> map) || map.get("type") == null) {
			return false;
		}
		String type = String.valueOf(map.get("type")).replaceAll("[^a-z-]", "");
		return type.equals("reboot") || type.equals("soft-reboot") || type.equals("kexec");
	}

	/**
	 * {@code PrepareForSleep(b)}: {@code true} before suspend, {@code false} after
	 * wake-up.
	 */
	void prepareForSleep(DBusSignalMessage signal) {
		if (Boolean.TRUE.equals(signal.arg(0))) {
			try {
				this.events.sleep();
			}
			finally {
				this.locks.release(InhibitKind.SLEEP);
			}
		}
		else {
			try {
				this.locks.take(InhibitKind.SLEEP);
			}
			finally {
				// the application woke up whether or not logind grants the lock again
				this.events.resume();
			}
		}
	}

}
