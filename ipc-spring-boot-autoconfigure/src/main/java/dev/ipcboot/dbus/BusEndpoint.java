package dev.ipcboot.dbus;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Where a {@link BusConnection} connects: the bus address, resolved once, and for
 * {@code private} the daemon the connection started to serve it. It does no locking of
 * its own; its owners call it with the connection's lock held.
 */
final class BusEndpoint {

	// the connection's category, so that logging configured for it still applies
	private static final Log logger = LogFactory.getLog(BusConnection.class);

	private final DBusSettings settings;

	private @Nullable String address;

	private @Nullable PrivateBusDaemon daemon;

	BusEndpoint(DBusSettings settings) {
		this.settings = settings;
	}

	/**
	 * The address, resolving it (and starting the private daemon) on first use.
	 * @throws dev.ipcboot.IpcConfigurationException if the bus cannot be resolved
	 */
	String resolve() {
		if (this.address == null) {
			this.address = BusAddresses.resolve(this.settings, this::startPrivateDaemon);
		}
		return this.address;
	}

	/** The address if resolved yet, for messages. */
	@Nullable String address() {
		return this.address;
	}

	@Nullable PrivateBusDaemon daemon() {
		return this.daemon;
	}

	/**
	 * Restart the private daemon if it died: nobody else will bring it back, and the
	 * address stays the same.
	 */
	void restartDeadDaemon() {
		if (this.daemon != null && !this.daemon.isAlive()) {
			this.daemon = this.daemon.restart();
			logger.warn("Restarted " + this.daemon + " for D-Bus connection '" + this.settings.name() + "'");
		}
	}

	private String startPrivateDaemon() {
		this.daemon = PrivateBusDaemon.start();
		logger.info("Started " + this.daemon + " for D-Bus connection '" + this.settings.name() + "'");
		return this.daemon.address();
	}

}
