package dev.ipcboot.dbus;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.messages.Message;
import org.freedesktop.dbus.messages.MethodCall;

import dev.ipcboot.IpcEvent;
import dev.ipcboot.IpcMetrics;

/**
 * Calls remote D-Bus objects and emits signals over a {@link BusConnection}: typed
 * proxies ({@link #remote}), untyped calls ({@link #call}), signal emission
 * ({@link #emit}) and subscriptions ({@link #subscribe}). Every call waits at most the
 * call timeout ({@code ipc.dbus.call-timeout}, or {@link #withTimeout}); every failure is
 * a {@link DBusCallException} carrying the D-Bus error name.
 * <p>
 * The application's template uses {@code ipc.dbus.bus}; {@link #connect(String)} opens an
 * independent one (to the system bus, say) that the caller closes.
 */
public class DBusTemplate implements AutoCloseable {

	private static final byte NO_FLAGS = 0;

	private final BusConnection connection;

	private final Duration timeout;

	private final boolean ownsConnection;

	private final IpcMetrics metrics;

	/**
	 * Create a template over a connection it does not own.
	 * @param connection the connection
	 */
	public DBusTemplate(BusConnection connection) {
		this(connection, IpcMetrics.NONE);
	}

	/**
	 * Create a template on a connection that the application manages, recording the calls
	 * it makes and the signals it emits.
	 * @param connection the connection
	 * @param metrics where calls and signals are recorded
	 */
	public DBusTemplate(BusConnection connection, IpcMetrics metrics) {
		this(connection, connection.settings().callTimeout(), false, metrics);
	}

	private DBusTemplate(BusConnection connection, Duration timeout, boolean ownsConnection, IpcMetrics metrics) {
		this.connection = connection;
		this.timeout = timeout;
		this.ownsConnection = ownsConnection;
		this.metrics = metrics;
	}

	/**
	 * Open a template with its own connection to a bus, independent of
	 * {@code ipc.dbus.bus}; it reconnects like the application's and is closed with
	 * {@link #close()}. The connection is made on first use.
	 * @param bus {@code system}, {@code session}, {@code private} or a bus address
	 * @return the template
	 */
	public static DBusTemplate connect(String bus) {
		return connect(DBusSettings.of("dbus-" + bus.replaceAll("[^A-Za-z0-9]+", "-"), "ipc.dbus", bus), (event) -> {
		});
	}

	/**
	 * Open a template with its own connection.
	 * @param settings what to connect to and how
	 * @param events receives the connection's events
	 * @return the template; closing it closes the connection
	 */
	public static DBusTemplate connect(DBusSettings settings, Consumer<IpcEvent> events) {
		BusConnection connection = new BusConnection(settings, events);
		return new DBusTemplate(connection, settings.callTimeout(), true, IpcMetrics.NONE);
	}

	/**
	 * A template over the same connection whose calls wait at most the given time.
	 * @param timeout the call timeout
	 * @return a new template; closing it does not close the connection
	 */
	public DBusTemplate withTimeout(Duration timeout) {
		return new DBusTemplate(this.connection, timeout, false, this.metrics);
	}

	/**
	 * The connection this template uses.
	 * @return the connection
	 */
	public BusConnection connection() {
		return this.connection;
	}

	/**
	 * A typed proxy to a remote object. Creating it costs no bus round trip; each method
	 * call is a D-Bus call that waits at most the call timeout.
	 * @param <T> the interface type
	 * @param busName bus name of the peer, well-known or unique
	 * @param path object path of the remote object
	 * @param type the dbus-java interface the object implements
	 * @return the proxy; its methods throw {@link DBusCallException} on failure and
	 * {@link DBusCallTimeoutException} without a reply in time
	 */
	public <T extends DBusInterface> T remote(String busName, String path, Class<T> type) {
		Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type },
				new RemoteObjectProxy(this.connection, busName, path, type, this.timeout, this.metrics));
		return type.cast(proxy);
	}

	/**
	 * Call a method without an interface type, the way {@code busctl call} does.
	 * @param destination bus name of the peer
	 * @param path object path
	 * @param interfaceName interface of the method
	 * @param member method name
	 * @param signature D-Bus signature of the arguments, empty for none
	 * @param args the arguments: JDK values ({@code long} for {@code u}, {@code String}
	 * for {@code o}, {@code int} for {@code h}) or dbus-java types
	 * @return the reply; UNIX file descriptors in it are {@link DBusFileDescriptor}s
	 * @throws DBusCallException if the peer replies with an error or the bus is gone
	 * @throws DBusCallTimeoutException if no reply comes within the call timeout
	 */
	public DBusReply call(String destination, String path, String interfaceName, String member, String signature,
			Object... args) {
		long start = System.nanoTime();
		try {
			DBusReply reply = doCall(destination, path, interfaceName, member, signature, args);
			this.metrics.dbusCall(interfaceName, member, "out", System.nanoTime() - start, null);
			return reply;
		}
		catch (RuntimeException ex) {
			this.metrics.dbusCall(interfaceName, member, "out", System.nanoTime() - start, ex);
			throw ex;
		}
	}

	private DBusReply doCall(String destination, String path, String interfaceName, String member, String signature,
			Object... args) {
		Supplier<String> description = () -> interfaceName + "." + member + " on " + destination + " " + path;
		DBusConnection current = this.connection.connection();
		ReceivedDescriptors descriptors = this.connection.descriptors();
		MethodCall call;
		try {
			call = current.getMessageFactory()
				.createMethodCall(destination, path, interfaceName, member, NO_FLAGS,
						signature.isEmpty() ? null : signature, UntypedArguments.convert(signature, args));
		}
		catch (DBusException ex) {
			throw new DBusCallException("org.freedesktop.DBus.Error.InvalidArgs", "Could not build the call "
					+ description + " with signature '" + signature + "': " + ex.getMessage(), ex);
		}
		current.sendMessage(call);
		Message reply = Replies.await(call, this.timeout, description);
		return Replies.toReply(reply, descriptors, description);
	}

	/**
	 * Emit a signal declared in a dbus-java interface.
	 * @param signal the signal
	 * @throws DBusCallException if the bus is gone
	 */
	public void emit(DBusSignal signal) {
		this.connection.connection().sendMessage(signal);
		this.metrics.dbusSignal(String.valueOf(signal.getInterface()), signal.getName(), "out");
	}

	/**
	 * Emit a signal without an interface type, the way {@code gdbus emit} does.
	 * @param path object path the signal comes from
	 * @param interfaceName interface of the signal
	 * @param member signal name
	 * @param signature D-Bus signature of the arguments, empty for none
	 * @param args the arguments
	 * @throws DBusCallException if the signal cannot be built or the bus is gone
	 */
	public void emit(String path, String interfaceName, String member, String signature, Object... args) {
		DBusConnection current = this.connection.connection();
		try {
			current.sendMessage(current.getMessageFactory()
				.createSignal(null, path, interfaceName, member, signature.isEmpty() ? null : signature,
						UntypedArguments.convert(signature, args)));
		}
		catch (DBusException ex) {
			throw new DBusCallException("org.freedesktop.DBus.Error.InvalidArgs", "Could not build the signal "
					+ interfaceName + "." + member + " with signature '" + signature + "': " + ex.getMessage(), ex);
		}
		this.metrics.dbusSignal(interfaceName, member, "out");
	}

	/**
	 * Subscribe to signals; see {@link BusConnection#subscribe}.
	 * @param rule which signals to receive
	 * @param callback receives each signal, in order, on a thread of the connection
	 * @return closing it ends the subscription
	 */
	public AutoCloseable subscribe(DBusSignalRule rule, Consumer<DBusSignalMessage> callback) {
		return this.connection.subscribe(rule, callback);
	}

	/**
	 * Close the connection if this template opened it ({@link #connect(String)}); a
	 * template over the application's connection leaves it open.
	 */
	@Override
	public void close() {
		if (this.ownsConnection) {
			this.connection.close();
		}
	}

}
