package dev.ipcboot.dbus;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.freedesktop.dbus.connections.IDisconnectCallback;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.jspecify.annotations.Nullable;

import dev.ipcboot.IpcConfigurationException;
import dev.ipcboot.IpcEvent;

/**
 * One connection to a bus that survives the bus going away: it connects on first use (or
 * on {@link #connect()}), requests the service name, exports objects and registers signal
 * subscriptions, and when the bus disappears it publishes a
 * {@link DBusDisconnectedEvent}, reconnects to the same address with backoff and restores
 * all of that before publishing a {@link DBusConnectedEvent}. Each instance owns its
 * underlying dbus-java connection (never shared) and, for {@code private}, its daemon.
 */
public final class BusConnection implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(BusConnection.class);

	private final DBusSettings settings;

	private final Consumer<IpcEvent> events;

	private final Object lock = new Object();

	private final Map<String, DBusInterface> exports = new ConcurrentHashMap<>();

	private final List<SignalSubscription> subscriptions = new CopyOnWriteArrayList<>();

	private final SignalThreads signalThreads;

	private final AtomicInteger threads = new AtomicInteger();

	private volatile @Nullable DBusConnection connection;

	private volatile ReceivedDescriptors descriptors = new ReceivedDescriptors();

	private volatile boolean closed;

	private @Nullable String address;

	private @Nullable PrivateBusDaemon daemon;

	// volatile so that state(), read by health checks, never waits for the lock that a
	// reconnection attempt holds
	private volatile @Nullable Reconnector reconnector;

	private volatile boolean lost;

	/**
	 * Create a connection; nothing is connected until {@link #connect()} or first use.
	 * @param settings what to connect to and how
	 * @param events receives the connection's events (an
	 * {@code ApplicationEventPublisher} method reference in an application)
	 */
	public BusConnection(DBusSettings settings, Consumer<IpcEvent> events) {
		this.settings = settings;
		this.events = events;
		this.signalThreads = new SignalThreads(toString(), () -> threadName("signals"));
	}

	/**
	 * {@code ipc-dbus-signals-1} for the application's connection,
	 * {@code ipc-dbus-<name>-signals-1} for others.
	 */
	private String threadName(String role) {
		String name = this.settings.name();
		return "ipc-dbus-" + (name.equals("dbus") ? "" : name + "-") + role + "-" + this.threads.incrementAndGet();
	}

	/**
	 * The settings this connection was created with.
	 * @return the settings
	 */
	public DBusSettings settings() {
		return this.settings;
	}

	/**
	 * Connect now, if not connected yet: resolve the bus (starting the private daemon for
	 * {@code private}), request the service name, export objects and subscribe.
	 * @throws IpcConfigurationException if the bus is unreachable or the service name is
	 * owned by another connection
	 */
	public void connect() {
		connection();
	}

	/**
	 * The bus address, resolving it (and starting the private daemon) if needed.
	 * @return the address, for example {@code unix:path=/run/user/1000/bus}
	 */
	public String address() {
		synchronized (this.lock) {
			return resolveAddress();
		}
	}

	/**
	 * Whether the connection is up.
	 * @return {@code true} while connected
	 */
	public boolean isConnected() {
		DBusConnection current = this.connection;
		return current != null && current.isConnected();
	}

	/**
	 * Where the connection stands.
	 * @return the state
	 */
	public State state() {
		if (this.closed) {
			return State.CLOSED;
		}
		if (isConnected()) {
			return State.CONNECTED;
		}
		if (this.reconnector != null) {
			return State.RECONNECTING;
		}
		return this.lost ? State.LOST : State.NOT_CONNECTED;
	}

	/**
	 * The connection's unique name on the bus, connecting if needed.
	 * @return the unique name, for example {@code :1.42}
	 */
	public String uniqueName() {
		return connection().getUniqueName();
	}

	/**
	 * The daemon this connection started for {@code private}.
	 * @return the daemon, or {@code null} for other buses or before connecting
	 */
	public @Nullable PrivateBusDaemon privateDaemon() {
		synchronized (this.lock) {
			return this.daemon;
		}
	}

	/**
	 * Export an object now (if connected) and after every reconnection.
	 * @param path the object path
	 * @param object the object, implementing one or more D-Bus interfaces
	 * @throws IllegalArgumentException if the object is not a {@code DBusInterface}
	 * @throws IllegalStateException if the object cannot be exported (an invalid path or
	 * interface)
	 */
	public void export(String path, Object object) {
		if (!(object instanceof DBusInterface exported)) {
			throw new IllegalArgumentException(object.getClass().getName() + " exported at " + path
					+ " does not implement a D-Bus interface; implement an interface that extends"
					+ " org.freedesktop.dbus.interfaces.DBusInterface");
		}
		synchronized (this.lock) {
			this.exports.put(path, exported);
			DBusConnection current = this.connection;
			if (current != null) {
				exportOn(current, path, exported);
			}
		}
	}

	/**
	 * Stop exporting an object.
	 * @param path the object path
	 */
	public void unexport(String path) {
		synchronized (this.lock) {
			this.exports.remove(path);
			DBusConnection current = this.connection;
			if (current != null && current.isConnected()) {
				current.unExportObject(path);
			}
		}
	}

	/**
	 * Subscribe to signals. The callback runs on a thread of this connection, one signal
	 * at a time and in order for this subscription; a slow callback does not delay other
	 * subscriptions. Connects if not connected yet; the subscription is restored after
	 * every reconnection.
	 * @param rule which signals to receive
	 * @param callback receives each signal; what it throws is logged
	 * @return closing it ends the subscription
	 * @throws IpcConfigurationException if connecting fails
	 * @throws DBusCallException if the bus rejects the rule
	 */
	public AutoCloseable subscribe(DBusSignalRule rule, Consumer<DBusSignalMessage> callback) {
		SignalSubscription subscription = new SignalSubscription(rule, callback,
				this.signalThreads.serial(rule.toString()), this);
		synchronized (this.lock) {
			this.subscriptions.add(subscription);
			DBusConnection current = this.connection;
			if (current != null) {
				registerOn(current, subscription);
			}
			else if (this.reconnector == null && !this.closed) {
				// a subscription is useless until connected; connecting registers it
				establish(false);
			}
		}
		return subscription;
	}

	void unsubscribe(SignalSubscription subscription) {
		this.subscriptions.remove(subscription);
		subscription.unregister();
	}

	/**
	 * The underlying connection, connecting first if needed.
	 * @throws DBusCallException while the bus is gone and a reconnection is pending
	 */
	DBusConnection connection() {
		DBusConnection current = this.connection;
		if (current != null) {
			return current;
		}
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
						+ this.settings.name() + "' to " + this.address + " is lost; reconnecting");
			}
			return establish(false);
		}
	}

	ReceivedDescriptors descriptors() {
		return this.descriptors;
	}

	private String resolveAddress() {
		if (this.address == null) {
			this.address = BusAddresses.resolve(this.settings, this::startPrivateDaemon);
		}
		return this.address;
	}

	private String startPrivateDaemon() {
		this.daemon = PrivateBusDaemon.start();
		logger.info("Started " + this.daemon + " for D-Bus connection '" + this.settings.name() + "'");
		return this.daemon.address();
	}

	/** Connect and restore everything; called with the lock held. */
	private DBusConnection establish(boolean reconnect) {
		String target = resolveAddress();
		DBusConnection created = Connections.open(target, this.settings, reconnect);
		ReceivedDescriptors received = new ReceivedDescriptors();
		try {
			BusNames.request(created, this.settings);
			for (Map.Entry<String, DBusInterface> export : this.exports.entrySet()) {
				exportOn(created, export.getKey(), export.getValue());
			}
			for (SignalSubscription subscription : this.subscriptions) {
				registerOn(created, subscription);
			}
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
		this.events.accept(new DBusConnectedEvent(this, this.settings.name(), target, uniqueName, reconnect));
		return created;
	}

	private void exportOn(DBusConnection target, String path, DBusInterface object) {
		try {
			target.exportObject(path, object);
		}
		catch (DBusException | RuntimeException ex) {
			throw new IllegalStateException("Could not export " + object.getClass().getName() + " at " + path
					+ " on D-Bus connection '" + this.settings.name() + "': " + ex.getMessage(), ex);
		}
	}

	private void registerOn(DBusConnection target, SignalSubscription subscription) {
		try {
			subscription.register(target);
		}
		catch (DBusException | RuntimeException ex) {
			throw new DBusCallException("org.freedesktop.DBus.Error.MatchRuleInvalid",
					"The bus rejected the signal subscription " + subscription.rule() + ": " + ex.getMessage(), ex);
		}
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
			logger.warn("Lost the D-Bus connection '" + this.settings.name() + "' to " + this.address
					+ (this.settings.reconnect() ? "; reconnecting" : ""));
			if (this.settings.reconnect()) {
				ReceivedDescriptors lostDescriptors = this.descriptors;
				Reconnector started = new Reconnector(threadName("reconnect"), this.settings.initialBackoff(),
						this.settings.maxBackoff(), () -> Connections.closeQuietly(lostConnection, lostDescriptors),
						this::tryReconnect);
				this.reconnector = started;
				started.start();
			}
		}
		this.events.accept(new DBusDisconnectedEvent(this, this.settings.name(), String.valueOf(this.address), cause));
	}

	/** One reconnection attempt, on the reconnector's thread. */
	private boolean tryReconnect() {
		synchronized (this.lock) {
			if (this.closed) {
				return true;
			}
			try {
				if (this.daemon != null && !this.daemon.isAlive()) {
					// our own daemon died: nobody else will bring it back
					this.daemon = this.daemon.restart();
					logger.warn("Restarted " + this.daemon + " for D-Bus connection '" + this.settings.name() + "'");
				}
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
	 * Unexport everything, close the connection, stop the signal threads and, for
	 * {@code private}, stop the daemon.
	 */
	@Override
	public void close() {
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
					this.exports.keySet().forEach(current::unExportObject);
				}
				this.descriptors.connectionClosing();
				try {
					current.close();
				}
				catch (IOException ex) {
					logger.warn("Closing D-Bus connection '" + this.settings.name() + "' failed", ex);
				}
			}
			ownDaemon = this.daemon;
		}
		if (pendingReconnect != null) {
			pendingReconnect.stop();
		}
		this.signalThreads.shutdown();
		if (ownDaemon != null) {
			ownDaemon.close();
		}
	}

	@Override
	public String toString() {
		return "D-Bus connection '" + this.settings.name() + "' (" + this.settings.bus() + ")";
	}

	/** Where a connection stands. */
	public enum State {

		/** Not connected yet: nothing needed the bus so far. */
		NOT_CONNECTED,

		/** Connected. */
		CONNECTED,

		/** The bus went away; reconnecting with backoff. */
		RECONNECTING,

		/**
		 * The bus went away and reconnection is off
		 * ({@code ipc.dbus.reconnect.enabled=false}); the next call connects again.
		 */
		LOST,

		/** Closed for good. */
		CLOSED

	}

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
