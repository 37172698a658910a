package dev.ipcboot.session.internal;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.ipcboot.dbus.DBusCallException;
import dev.ipcboot.dbus.DBusFileDescriptor;
import dev.ipcboot.session.InhibitKind;

/**
 * The delay inhibitor locks the application holds: one descriptor per kind. Closing a
 * descriptor is what tells logind to go ahead.
 */
final class InhibitorLocks {

	private static final Log logger = LogFactory.getLog(InhibitorLocks.class);

	private final LogindClient logind;

	private final List<InhibitKind> kinds;

	private final Map<InhibitKind, DBusFileDescriptor> held = new EnumMap<>(InhibitKind.class);

	private boolean closed;

	InhibitorLocks(LogindClient logind, List<InhibitKind> kinds) {
		this.logind = logind;
		this.kinds = kinds;
	}

	/**
	 * Take every configured lock not held yet.
	 * @throws DBusCallException if logind is absent
	 */
	void takeAll() {
		for (InhibitKind kind : this.kinds) {
			take(kind);
		}
	}

	/**
	 * Take one lock, if it is configured and not held. A refusal is logged: the events
	 * still come, but the machine does not wait for the save phase.
	 * @throws DBusCallException if logind is absent
	 */
	synchronized void take(InhibitKind kind) {
		if (this.closed || !this.kinds.contains(kind) || this.held.containsKey(kind)) {
			return;
		}
		try {
			this.held.put(kind, this.logind.inhibit(kind));
		}
		catch (DBusCallException ex) {
			if (LogindClient.isAbsent(ex)) {
				throw ex;
			}
			logger.warn("logind refused a delay inhibitor lock for " + kind.what() + " (" + ex.errorName() + ": "
					+ ex.getMessage() + "); SessionEvents still come, but the machine will not wait for the save"
					+ " phase. Allow the inhibit-delay-" + kind.what() + " polkit action, or remove " + kind.what()
					+ " from ipc.session.logind.inhibit");
		}
	}

	/**
	 * Release one lock so that logind proceeds.
	 */
	synchronized void release(InhibitKind kind) {
		DBusFileDescriptor lock = this.held.remove(kind);
		if (lock != null) {
			lock.close();
		}
	}

	/**
	 * Release every lock (logind went away), keeping the ability to take them again.
	 */
	synchronized void releaseAll() {
		for (InhibitKind kind : List.copyOf(this.held.keySet())) {
			release(kind);
		}
	}

	/**
	 * Forget the locks without closing them: their connection was lost, which closed
	 * them.
	 */
	synchronized void lost() {
		this.held.clear();
	}

	synchronized String describe() {
		return this.held.keySet().stream().map(InhibitKind::what).collect(Collectors.joining(", "));
	}

	/**
	 * Release every lock and take none from now on.
	 */
	synchronized void close() {
		this.closed = true;
		for (InhibitKind kind : List.copyOf(this.held.keySet())) {
			try {
				release(kind);
			}
			catch (RuntimeException ex) {
				logger.warn("Could not release the logind inhibitor lock for " + kind.what()
						+ "; it goes when the bus connection closes", ex);
			}
		}
	}

}
