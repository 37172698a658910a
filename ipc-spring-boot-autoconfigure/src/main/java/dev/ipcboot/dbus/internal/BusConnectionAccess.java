package dev.ipcboot.dbus.internal;

import org.jspecify.annotations.Nullable;

import dev.ipcboot.dbus.BusConnection;

/**
 * Reaches what {@link BusConnection} keeps out of its public API for the machinery of
 * this package and for tests: starting to connect in the background, and the daemon of a
 * {@code private} bus. {@code BusConnection} registers the one implementation when its
 * class is initialized (the JDK's "shared secrets" pattern), so these stay off the public
 * API without the lifecycle having to live in {@code dev.ipcboot.dbus} (ADR 0019).
 */
public abstract class BusConnectionAccess {

	private static volatile @Nullable BusConnectionAccess access;

	/** For {@code BusConnection}'s implementation only. */
	protected BusConnectionAccess() {
	}

	/**
	 * Register the implementation; called once, by {@code BusConnection}.
	 * @param implementation the implementation
	 * @throws IllegalStateException if one is registered already
	 */
	public static synchronized void register(BusConnectionAccess implementation) {
		if (access != null) {
			throw new IllegalStateException("BusConnectionAccess is registered already");
		}
		access = implementation;
	}

	/**
	 * Start connecting in the background (see {@code DBusLifecycle}).
	 * @param connection the connection
	 */
	public static void prepare(BusConnection connection) {
		// an instance exists, so its class is initialized and has registered
		access().doPrepare(connection);
	}

	/**
	 * The daemon a connection started for {@code private}.
	 * @param connection the connection
	 * @return the daemon, or {@code null} for other buses or before connecting
	 */
	public static @Nullable PrivateBusDaemon privateDaemon(BusConnection connection) {
		return access().doPrivateDaemon(connection);
	}

	private static BusConnectionAccess access() {
		BusConnectionAccess registered = access;
		if (registered == null) {
			throw new IllegalStateException("BusConnection has not registered its access");
		}
		return registered;
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

}
