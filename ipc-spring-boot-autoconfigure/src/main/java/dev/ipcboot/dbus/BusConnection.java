package dev.ipcboot.dbus;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.jspecify.annotations.Nullable;

import dev.ipcboot.IpcConfigurationException;
import dev.ipcboot.IpcEvent;
import dev.ipcboot.dbus.internal.BusConnectionAccess;
import dev.ipcboot.dbus.internal.PrivateBusDaemon;
import dev.ipcboot.internal.IpcMetrics;

/**
 * One connection to a bus that survives the bus going away: it connects on first use (or
 * on {@link #connect()}), requests the service name, exports objects and registers signal
 * subscriptions, and when the bus disappears it publishes a
 * {@link DBusDisconnectedEvent}, reconnects to the same address with backoff and restores
 * all of that before publishing a {@link DBusConnectedEvent}. Each instance owns its
 * underlying dbus-java connection (never shared) and, for {@code private}, its daemon.
 */
public final class BusConnection implements AutoCloseable {

	static {
		BusConnectionAccess.register(new BusConnectionAccess() {

			@Override
			protected void doPrepare(BusConnection connection) {
				connection.prepare();
			}

			@Override
			protected @Nullable PrivateBusDaemon doPrivateDaemon(BusConnection connection) {
				return connection.privateDaemon();
			}

			@Override
			protected DBusTemplate doTemplate(BusConnection connection, IpcMetrics metrics) {
				return new DBusTemplate(connection, metrics);
			}

			@Override
			protected void doMeterIncomingCalls(BusConnection connection, IpcMetrics metrics) {
				connection.callLimit.meter(metrics);
			}

		});
	}

	private final DBusSettings settings;

	// guards the link's state and makes a change of exports or subscriptions atomic with
	// restoring them on a new underlying connection
	private final Object lock = new Object();

	private final AtomicInteger threads = new AtomicInteger();

	private final BusEndpoint endpoint;

	private final ExportRegistry exports;

	private final SubscriptionRegistry subscriptions;

	private final BusLink link;

	private final SignalThreads completions;

	private final IncomingCallLimit callLimit;

	/**
	 * Create a connection; nothing is connected until {@link #connect()} or first use.
	 * @param settings what to connect to and how
	 * @param events receives the connection's events (an
	 * {@code ApplicationEventPublisher} method reference in an application)
	 */
	public BusConnection(DBusSettings settings, Consumer<IpcEvent> events) {
		this.settings = settings;
		this.endpoint = new BusEndpoint(settings);
		this.completions = new SignalThreads(toString(), () -> threadName("replies"), settings.threads());
		this.callLimit = new IncomingCallLimit(settings.name());
		this.exports = new ExportRegistry(settings.name(), this, this.completions, this.callLimit);
		this.subscriptions = new SubscriptionRegistry(
				new SignalThreads(toString(), () -> threadName("signals"), settings.threads()));
		this.link = new BusLink(this, settings, events, this.lock, this.endpoint, this.exports, this.subscriptions,
				() -> threadName("reconnect"));
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
	 * Start connecting in the background, for a connection that {@link #connect()} will
	 * be called on soon: resolving the bus (starting the private daemon for
	 * {@code private}) and opening the connection then overlap with whatever the caller
	 * does meanwhile. {@code connect()} or first use waits for it, requests the service
	 * name, exports objects and subscribes, and fails as it would have without this;
	 * {@link #close()} closes what was prepared and not used.
	 */
	void prepare() {
		synchronized (this.lock) {
			this.link.prepare(() -> threadName("connect"));
		}
	}

	/**
	 * The bus address, resolving it (and starting the private daemon) if needed.
	 * @return the address, for example {@code unix:path=/run/user/1000/bus}
	 */
	public String address() {
		synchronized (this.lock) {
			return this.endpoint.resolve();
		}
	}

	/**
	 * Whether the connection is up.
	 * @return {@code true} while connected
	 */
	public boolean isConnected() {
		return this.link.isConnected();
	}

	/**
	 * Where the connection stands.
	 * @return the state
	 */
	public State state() {
		return this.link.state();
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
	@Nullable PrivateBusDaemon privateDaemon() {
		synchronized (this.lock) {
			return this.endpoint.daemon();
		}
	}

	/**
	 * Export an object now (if connected) and after every reconnection. Its methods can
	 * ask a {@link DBusCallContext} who is calling.
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
		DBusInterface serving = DBusCallContext.serving(exported, this);
		synchronized (this.lock) {
			this.exports.add(path, serving, this.link.current());
		}
	}

	/**
	 * Stop exporting an object.
	 * @param path the object path
	 */
	public void unexport(String path) {
		synchronized (this.lock) {
			this.exports.remove(path, this.link.current());
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
		SignalSubscription subscription = this.subscriptions.create(rule, callback, this);
		try {
			synchronized (this.lock) {
				this.subscriptions.add(subscription);
				DBusConnection current = this.link.current();
				if (current != null) {
					this.subscriptions.registerOn(current, subscription);
				}
				else {
					// a subscription is useless until connected; connecting registers it
					this.link.connectIfIdle();
				}
			}
		}
		finally {
			this.link.publishPendingEvents();
		}
		return subscription;
	}

	void unsubscribe(SignalSubscription subscription) {
		this.subscriptions.remove(subscription);
	}

	/**
	 * The underlying connection, connecting first if needed.
	 * @throws DBusCallException while the bus is gone and a reconnection is pending
	 */
	DBusConnection connection() {
		return this.link.connection();
	}

	/** Where the futures of asynchronous calls are completed. */
	Executor completions() {
		return this.completions;
	}

	ReceivedDescriptors descriptors() {
		return this.link.descriptors();
	}

	/** The calls beyond the bound refused on this connection. */
	IncomingCallLimit callLimit() {
		return this.callLimit;
	}

	/**
	 * Unexport everything, close the connection, stop the signal threads and, for
	 * {@code private}, stop the daemon.
	 */
	@Override
	public void close() {
		this.link.close();
		this.completions.shutdown();
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

}
