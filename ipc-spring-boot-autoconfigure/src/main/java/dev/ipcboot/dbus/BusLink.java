package dev.ipcboot.dbus;

import java.io.IOException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.freedesktop.dbus.connections.IDisconnectCallback;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.jspecify.annotations.Nullable;

import dev.ipcboot.IpcEvent;
import dev.ipcboot.dbus.internal.PrivateBusDaemon;

/**
 * The underlying dbus-java connection of a {@link BusConnection} through its states: it
 * connects and restores the service name, exports and subscriptions; notices when the bus
 * goes away and reconnects with backoff; and closes for good. Every change of state
 * happens under the owner's lock.
 */
final class BusLink {

	// the connection's category, so that logging configured for it still applies
	private static final Log logger = LogFactory.getLog(BusConnection.class);

	private final BusConnection owner;

	private final DBusSettings settings;

	private final Consumer<IpcEvent> events;

	private final Object lock;

	private final BusEndpoint endpoint;

	private final ExportRegistry exports;

	private final SubscriptionRegistry subscriptions;

	private final Supplier<String> reconnectThreadNames;

	private volatile @Nullable DBusConnection connection;

	private volatile ReceivedDescriptors descriptors = new ReceivedDescriptors();

	private volatile boolean closed;

	// volatile so that state(), read by health checks, never waits for the lock that a
	// reconnection attempt holds
	private volatile @Nullable Reconnector reconnector;

	private volatile boolean lost;

	private final Queue<IpcEvent> pendingEvents = new ConcurrentLinkedQueue<>();

	/**
	 * Create a link; nothing connects until {@link #connection()} or
	 * {@link #connectIfIdle()}.
	 * @param owner the connection, as the source of its events
	 * @param lock the owner's lock; the owner holds it while it changes exports and
	 * subscriptions, so that each is either restored by a new connection or applied to it
	 */
	BusLink(BusConnection owner, DBusSettings settings, Consumer<IpcEvent> events, Object lock, BusEndpoint endpoint,
			ExportRegistry exports, SubscriptionRegistry subscriptions, Supplier<String> reconnectThreadNames) {
		this.owner = owner;
		this.settings = settings;
		this.events = events;
		this.lock = lock;
		this.endpoint = endpoint;
		this.exports = exports;
		this.subscriptions = subscriptions;
		this.reconnectThreadNames = reconnectThreadNames;
	}

	/** The connection if there is one, without connecting. */
	@Nullable DBusConnection current() {
		return this.connection;
	}

	ReceivedDescriptors descriptors() {
		return this.descriptors;
	}

	boolean isConnected() {
		DBusConnection current = this.connection;
		return current != null && current.isConnected();
	}

	BusConnection.State state() {
		if (this.closed) {
			return BusConnection.State.CLOSED;
		}
		if (isConnected()) {
			return BusConnection.State.CONNECTED;
		}
		if (this.reconnector != null) {
			return BusConnection.State.RECONNECTING;
		}
		return this.lost ? BusConnection.State.LOST : BusConnection.State.NOT_CONNECTED;
	}

	/**
	 * The underlying connection, connecting first if needed.
	 * @throws DBusCallException when closed, or while the bus is gone and a reconnection
	 * is pending
	 */
	DBusConnection connection() {
		DBusConnection current = this.connection;
		if (current != null) {
			return current;
		}
		try {
			synchronized (this.lock) {
				if (this.closed) {
					throw new DBusCallException("org.freedesktop.DBus.Error.Disconnected",
							"D-Bus connection '" + this.settings.name() + "' is closed");
				}
				if (this.connection != null) {
					return this.connection;
				}
				if (this.reconnector != null) {
					throw new DBusCallException("org.freedesktop.DBus.Error.Disconnected", "D-Bus connection '"
							+ this.settings.name() + "' to " + this.endpoint.address() + " is lost; reconnecting");
				}
				return establish(false);
			}
		}
		finally {
			publishPendingEvents();
		}
	}

	/**
	 * Publish the events that were raised while the lock was held. Callers that hold the
	 * lock around {@link #connectIfIdle()} call this after releasing it.
	 */
	void publishPendingEvents() {
		if (Thread.holdsLock(this.lock)) {
			return;
		}
		IpcEvent event;
		while ((event = this.pendingEvents.poll()) != null) {
			this.events.accept(event);
		}
	}

	/**
	 * Start opening the first connection in the background unless connected, closed or
	 * reconnecting; called with the lock held.
	 * @param threadName name of the thread that opens it
	 */
	void prepare(Supplier<String> threadName) {
		if (this.connection == null && this.reconnector == null && !this.closed) {
			this.endpoint.prepare(threadName);
		}
	}

	/**
	 * Connect unless closed or a reconnection is pending (which restores everything
	 * anyway); called with the lock held.
	 */
	void connectIfIdle() {
		if (this.reconnector == null && !this.closed) {
			establish(false);
		}
	}

	/** Connect and restore everything; called with the lock held. */
	private DBusConnection establish(boolean reconnect) {
		String target = this.endpoint.resolve();
		DBusConnection prepared = reconnect ? null : this.endpoint.takePreparedConnection();
		DBusConnection created = (prepared != null) ? prepared : Connections.open(target, this.settings, reconnect);
		ReceivedDescriptors received = new ReceivedDescriptors();
		try {
			BusNames.request(created, this.settings);
			this.exports.exportAll(created);
			this.subscriptions.registerAll(created);
		}
		catch (RuntimeException ex) {
			Connections.closeQuietly(created, received);
			throw ex;
		}
		created.setDisconnectCallback(new LostConnection(created));
		this.descriptors = received;
		this.connection = created;
		this.lost = false;
		String uniqueName = created.getUniqueName();
		logger.info((reconnect ? "Reconnected" : "Connected") + " to D-Bus at " + target + " as " + uniqueName
				+ ((this.settings.serviceName() != null) ? " (" + this.settings.serviceName() + ")" : ""));
		// published once the lock is released: a listener that calls the bus from another
		// thread would otherwise deadlock against us
		this.pendingEvents.add(new DBusConnectedEvent(this.owner, this.settings.name(), target, uniqueName, reconnect));
		return created;
	}

	private void lost(DBusConnection lostConnection, @Nullable Throwable cause) {
		if (this.closed) {
			// close() holds the lock while dbus-java stops the thread that calls us
			return;
		}
		synchronized (this.lock) {
			if (this.closed || this.connection != lostConnection) {
				return;
			}
			this.connection = null;
			this.lost = true;
			logger.warn("Lost the D-Bus connection '" + this.settings.name() + "' to " + this.endpoint.address()
					+ (this.settings.reconnect() ? "; reconnecting" : ""));
			if (this.settings.reconnect()) {
				ReceivedDescriptors lostDescriptors = this.descriptors;
				Reconnector started = new Reconnector(this.reconnectThreadNames.get(), this.settings.initialBackoff(),
						this.settings.maxBackoff(), () -> Connections.closeQuietly(lostConnection, lostDescriptors),
						this::tryReconnect);
				this.reconnector = started;
				started.start();
			}
		}
		this.events.accept(new DBusDisconnectedEvent(this.owner, this.settings.name(),
				String.valueOf(this.endpoint.address()), cause));
	}

	/** One reconnection attempt, on the reconnector's thread. */
	private boolean tryReconnect() {
		try {
			return reconnectOnce();
		}
		finally {
			publishPendingEvents();
		}
	}

	private boolean reconnectOnce() {
		synchronized (this.lock) {
			if (this.closed) {
				return true;
			}
			try {
				this.endpoint.restartDeadDaemon();
				establish(true);
				this.reconnector = null;
				return true;
			}
			catch (DBusCallException ex) {
				// the bus is not back yet: expected while it restarts
				logger.debug("Reconnection of D-Bus connection '" + this.settings.name() + "' failed", ex);
			}
			catch (RuntimeException ex) {
				// connected, but could not restore the name, an export or a subscription
				logger.warn("Reconnected D-Bus connection '" + this.settings.name()
						+ "' could not be restored; trying again: " + ex.getMessage());
			}
			return false;
		}
	}

	/**
	 * Unexport everything, close the connection, stop reconnecting and the signal threads
	 * and, for {@code private}, stop the daemon.
	 */
	void close() {
		Reconnector pendingReconnect;
		PrivateBusDaemon ownDaemon;
		synchronized (this.lock) {
			if (this.closed) {
				return;
			}
			this.closed = true;
			pendingReconnect = this.reconnector;
			DBusConnection current = this.connection;
			this.connection = null;
			if (current != null) {
				if (current.isConnected()) {
					this.exports.unexportAll(current);
				}
				this.descriptors.connectionClosing();
				try {
					current.close();
				}
				catch (IOException ex) {
					logger.warn("Closing D-Bus connection '" + this.settings.name() + "' failed", ex);
				}
			}
			this.endpoint.discardPreparation();
			// taken under the lock: a reconnection attempt may be restarting it
			ownDaemon = this.endpoint.daemon();
		}
		if (pendingReconnect != null) {
			pendingReconnect.stop();
		}
		this.subscriptions.shutdown();
		if (ownDaemon != null) {
			ownDaemon.close();
		}
	}

	/** Hands a lost connection back to {@link BusLink#lost}. */
	private final class LostConnection implements IDisconnectCallback {

		private final DBusConnection watched;

		LostConnection(DBusConnection watched) {
			this.watched = watched;
		}

		@Override
		public void disconnectOnError(IOException ex) {
			lost(this.watched, ex);
		}

		@Override
		public void exceptionOnTerminate(IOException ex) {
			lost(this.watched, ex);
		}

	}

}
