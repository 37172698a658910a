package dev.ipcboot.session.internal;

import java.util.Map;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import dev.ipcboot.dbus.DBusCallException;
import dev.ipcboot.dbus.DBusFileDescriptor;
import dev.ipcboot.dbus.DBusReply;
import dev.ipcboot.dbus.DBusSignalMessage;
import dev.ipcboot.dbus.DBusSignalRule;
import dev.ipcboot.dbus.DBusTemplate;
import dev.ipcboot.session.InhibitKind;

/**
 * The calls and signals of logind's D-Bus API ({@code org.freedesktop.login1}) that the
 * session facility uses, over a template it does not own.
 */
final class LogindClient {

	static final String SERVICE = "org.freedesktop.login1";

	static final String PATH = "/org/freedesktop/login1";

	static final String MANAGER = "org.freedesktop.login1.Manager";

	static final String SESSION = "org.freedesktop.login1.Session";

	static final String WHY = "Saving work before shutdown or sleep (ipc.session.commit-timeout)";

	private final DBusTemplate template;

	private final String who;

	LogindClient(DBusTemplate template, String who) {
		this.template = template;
		this.who = who;
	}

	/**
	 * Take a delay inhibitor lock.
	 * @throws DBusCallException if logind is absent or refuses
	 */
	DBusFileDescriptor inhibit(InhibitKind kind) {
		DBusReply reply = this.template.call(SERVICE, PATH, MANAGER, "Inhibit", "ssss", kind.what(), this.who, WHY,
				"delay");
		return reply.fileDescriptor(0);
	}

	/**
	 * The object path of the session a process belongs to.
	 * @return the path, or {@code null} if the process is in no session (a system
	 * service, a container)
	 * @throws DBusCallException if logind is absent or fails otherwise
	 */
	@Nullable String sessionOf(long pid) {
		try {
			return this.template.call(SERVICE, PATH, MANAGER, "GetSessionByPID", "u", pid).get(0, String.class);
		}
		catch (DBusCallException ex) {
			if ("org.freedesktop.login1.NoSessionForPID".equals(ex.errorName())) {
				return null;
			}
			throw ex;
		}
	}

	/**
	 * The id of a session ({@code 2}, {@code c1}), which its path only shows escaped.
	 */
	String sessionId(String sessionPath) {
		return String.valueOf(
				this.template.call(SERVICE, sessionPath, "org.freedesktop.DBus.Properties", "Get", "ss", SESSION, "Id")
					.get(0));
	}

	/**
	 * Whether logind announces the kind of shutdown
	 * ({@code PrepareForShutdownWithMetadata}, systemd 255 and later): it has the
	 * property that goes with the signal.
	 */
	boolean announcesShutdownKind() {
		try {
			this.template.call(SERVICE, PATH, "org.freedesktop.DBus.Properties", "Get", "ss", MANAGER,
					"PreparingForShutdownWithMetadata");
			return true;
		}
		catch (DBusCallException ex) {
			if (isAbsent(ex)) {
				throw ex;
			}
			return false;
		}
	}

	/**
	 * Subscribe to changes of the owner of {@code org.freedesktop.login1}: argument 2 of
	 * {@code NameOwnerChanged} is the new owner, empty when logind went away.
	 */
	AutoCloseable onOwnerChanged(Consumer<DBusSignalMessage> callback) {
		String bus = "org.freedesktop.DBus";
		return this.template.subscribe(
				new DBusSignalRule(bus, "NameOwnerChanged", "/org/freedesktop/DBus", bus, Map.of(0, SERVICE)),
				callback);
	}

	AutoCloseable onManagerSignal(String member, Consumer<DBusSignalMessage> callback) {
		return this.template.subscribe(DBusSignalRule.of(MANAGER, member).withPath(PATH).withSender(SERVICE), callback);
	}

	/**
	 * Subscribe to every signal of one session ({@code Lock}, {@code Unlock}, ...): one
	 * subscription, so they arrive in the order logind sent them.
	 */
	AutoCloseable onSessionSignals(String sessionPath, Consumer<DBusSignalMessage> callback) {
		return this.template.subscribe(DBusSignalRule.ofInterface(SESSION).withPath(sessionPath).withSender(SERVICE),
				callback);
	}

	/**
	 * Whether a failed call means that nobody serves {@code org.freedesktop.login1} on
	 * the bus.
	 */
	static boolean isAbsent(DBusCallException ex) {
		return switch (ex.errorName()) {
			case "org.freedesktop.DBus.Error.ServiceUnknown", "org.freedesktop.DBus.Error.NameHasNoOwner",
					"org.freedesktop.DBus.Error.UnknownObject", "org.freedesktop.DBus.Error.UnknownMethod" ->
				true;
			default -> false;
		};
	}

}
