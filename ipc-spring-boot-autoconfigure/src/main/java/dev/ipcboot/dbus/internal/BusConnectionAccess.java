package dev.ipcboot.dbus.internal;

import org.jspecify.annotations.Nullable;

import dev.ipcboot.dbus.BusConnection;
import dev.ipcboot.dbus.DBusTemplate;
import dev.ipcboot.internal.IpcMetrics;
import dev.ipcboot.internal.Registration;

/**
 * Reaches what {@link BusConnection} keeps out of its public API for the machinery of
 * this package and for tests: starting to connect in the background, and the daemon of a
 * {@code private} bus. {@code BusConnection} registers the one implementation when its
 * class is initialized (the JDK's "shared secrets" pattern), so these stay off the public
 * API without the lifecycle having to live in {@code dev.ipcboot.dbus} (ADR 0019).
 */
public abstract class BusConnectionAccess {

	private static final Registration<BusConnectionAccess> ACCESS = new Registration<>(BusConnection.class);

	/** For {@code BusConnection}'s implementation only. */
	protected BusConnectionAccess() {
	}

	/**
	 * Register the implementation; called once, by {@code BusConnection}.
	 * @param implementation the implementation
	 * @throws IllegalStateException if one is registered already
	 */
	public static void register(BusConnectionAccess implementation) {
		ACCESS.set(implementation);
	}

	/**
	 * Start connecting in the background (see {@code DBusLifecycle}).
	 * @param connection the connection
	 */
	public static void prepare(BusConnection connection) {
		ACCESS.get().doPrepare(connection);
	}

	/**
	 * The daemon a connection started for {@code private}.
	 * @param connection the connection
	 * @return the daemon, or {@code null} for other buses or before connecting
	 */
	public static @Nullable PrivateBusDaemon privateDaemon(BusConnection connection) {
		return ACCESS.get().doPrivateDaemon(connection);
	}

	/**
	 * The application's {@link DBusTemplate}, recording the calls it makes.
	 * @param connection the connection it calls over
	 * @param metrics records each call
	 * @return the template
	 */
	public static DBusTemplate template(BusConnection connection, IpcMetrics metrics) {
		return ACCESS.get().doTemplate(connection, metrics);
	}

	/**
	 * Report the method calls peers make to a connection's exported objects that wait for
	 * their answer, and those refused beyond the bound, as meters.
	 * @param connection the connection
	 * @param metrics the meters
	 */
	public static void meterIncomingCalls(BusConnection connection, IpcMetrics metrics) {
		ACCESS.get().doMeterIncomingCalls(connection, metrics);
	}

	/**
	 * Start connecting in the background.
	 * @param connection the connection
	 */
	protected abstract void doPrepare(BusConnection connection);

	/**
	 * The daemon a connection started for {@code private}.
	 * @param connection the connection
	 * @return the daemon, or {@code null}
	 */
	protected abstract @Nullable PrivateBusDaemon doPrivateDaemon(BusConnection connection);

	/**
	 * A template that records the calls it makes.
	 * @param connection the connection
	 * @param metrics records each call
	 * @return the template
	 */
	protected abstract DBusTemplate doTemplate(BusConnection connection, IpcMetrics metrics);

	/**
	 * Report a connection's incoming calls as meters.
	 * @param connection the connection
	 * @param metrics the meters
	 */
	protected abstract void doMeterIncomingCalls(BusConnection connection, IpcMetrics metrics);

}
