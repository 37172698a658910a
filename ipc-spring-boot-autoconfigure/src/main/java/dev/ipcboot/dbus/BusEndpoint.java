package dev.ipcboot.dbus;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.jspecify.annotations.Nullable;

/**
 * Where a {@link BusConnection} connects: the bus address, resolved once, and for
 * {@code private} the daemon the connection started to serve it, possibly prepared ahead
 * of time together with the first connection ({@link BusPreparation}). It does no locking
 * of its own; its owners call it with the connection's lock held.
 */
final class BusEndpoint {

	// the connection's category, so that logging configured for it still applies
	private static final Log logger = LogFactory.getLog(BusConnection.class);

	private final DBusSettings settings;

	private @Nullable String address;

	private @Nullable PrivateBusDaemon daemon;

	private @Nullable BusPreparation preparation;

	BusEndpoint(DBusSettings settings) {
		this.settings = settings;
	}

	/**
	 * Start resolving the address and opening the first connection in the background,
	 * unless resolved or preparing already.
	 * @param threadName name of the thread that prepares
	 */
	void prepare(String threadName) {
		if (this.address == null && this.preparation == null) {
			this.preparation = new BusPreparation(this.settings, threadName);
		}
	}

	/**
	 * The address, resolving it (and starting the private daemon) on first use, or taking
	 * it from the preparation.
	 * @throws dev.ipcboot.IpcConfigurationException if the bus cannot be resolved
	 */
	String resolve() {
		if (this.address == null) {
			BusPreparation.Prepared prepared = (this.preparation != null) ? this.preparation.claimAddress() : null;
			if (prepared != null && prepared.address() != null) {
				this.daemon = prepared.daemon();
				if (this.daemon != null) {
					logStarted();
				}
				this.address = prepared.address();
			}
			else {
				this.address = BusAddresses.resolve(this.settings, this::startPrivateDaemon);
			}
		}
		return this.address;
	}

	/**
	 * The connection opened by the preparation, once; call {@link #resolve()} first.
	 * @return the connection, or {@code null} when nothing was prepared, it was taken
	 * before, or it is no longer connected
	 * @throws dev.ipcboot.IpcConfigurationException if the preparation could not connect
	 */
	@Nullable DBusConnection takePreparedConnection() {
		return (this.preparation != null) ? this.preparation.claimConnection() : null;
	}

	/**
	 * Close what the preparation made and nobody took, waiting for it to end.
	 */
	void discardPreparation() {
		if (this.preparation != null) {
			this.preparation.discard();
		}
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
		PrivateBusDaemon started = PrivateBusDaemon.start();
		this.daemon = started;
		logStarted();
		return started.address();
	}

	private void logStarted() {
		logger.info("Started " + this.daemon + " for D-Bus connection '" + this.settings.name() + "'");
	}

}
