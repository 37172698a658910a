package dev.ipcboot.dbus;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.messages.Message;
import org.freedesktop.dbus.messages.MethodCall;
import org.freedesktop.dbus.messages.constants.Flags;
import org.freedesktop.dbus.types.Variant;

import dev.ipcboot.IpcEvent;
import dev.ipcboot.internal.IpcMetrics;

/**
 * Calls remote D-Bus objects and emits signals over a {@link BusConnection}: typed
 * proxies ({@link #remote}, whose methods may return futures and read or write
 * properties), untyped calls ({@link #call}, {@link #callAsync}), properties
 * ({@link #getProperty}, {@link #setProperty}, {@link #getAllProperties},
 * {@link #emitPropertiesChanged}), signal emission ({@link #emit}) and subscriptions
 * ({@link #subscribe}). Every call waits at most the call timeout
 * ({@code ipc.dbus.call-timeout}, or {@link #withTimeout}); every failure is a
 * {@link DBusCallException} carrying the D-Bus error name. Calls ask the bus to start
 * activatable services unless {@code ipc.dbus.auto-start} is off.
 * <p>
 * The application's template uses {@code ipc.dbus.bus}; {@link #connect(String)} opens an
 * independent one (to the system bus, say) that the caller closes.
 */
public class DBusTemplate implements AutoCloseable {

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
	DBusTemplate(BusConnection connection, IpcMetrics metrics) {
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
	 * call is a D-Bus call that waits at most the call timeout. A method declared to
	 * return {@code CompletableFuture<T>} or {@code CompletionStage<T>} returns at once
	 * and its future completes as {@link #callAsync}'s does; a method annotated with
	 * dbus-java's {@code @DBusBoundProperty} reads or writes the property through
	 * {@code org.freedesktop.DBus.Properties}.
	 * @param <T> the interface type
	 * @param busName bus name of the peer, well-known or unique
	 * @param path object path of the remote object
	 * @param type the dbus-java interface the object implements
	 * @return the proxy; its methods throw {@link DBusCallException} on failure and
	 * {@link DBusCallTimeoutException} without a reply in time (or fail their future with
	 * them)
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
		Supplier<String> description = describe(destination, path, interfaceName, member);
		DBusConnection current = this.connection.connection();
		ReceivedDescriptors descriptors = this.connection.descriptors();
		MethodCall call;
		try {
			call = current.getMessageFactory()
				.createMethodCall(destination, path, interfaceName, member, flags(),
						signature.isEmpty() ? null : signature, UntypedArguments.convert(signature, args));
		}
		catch (DBusException ex) {
			throw cannotBuild(description, signature, ex);
		}
		current.sendMessage(call);
		Message reply = Replies.await(call, this.timeout, description);
		return Replies.toReply(reply, descriptors, description);
	}

	/**
	 * Call a method without waiting for its reply (Qt's {@code asyncCall}): no thread
	 * waits while the call is pending, and the future completes on a thread of the
	 * connection, so what is chained on it never holds up other replies.
	 * @param destination bus name of the peer
	 * @param path object path
	 * @param interfaceName interface of the method
	 * @param member method name
	 * @param signature D-Bus signature of the arguments, empty for none
	 * @param args the arguments, as for {@link #call}
	 * @return the reply's future; it fails with {@link DBusCallException} if the peer
	 * replies with an error or the bus is gone, and with {@link DBusCallTimeoutException}
	 * if no reply comes within the call timeout
	 */
	public CompletableFuture<DBusReply> callAsync(String destination, String path, String interfaceName, String member,
			String signature, Object... args) {
		long start = System.nanoTime();
		CompletableFuture<DBusReply> reply;
		try {
			Supplier<String> description = describe(destination, path, interfaceName, member);
			DBusConnection current = this.connection.connection();
			ReceivedDescriptors descriptors = this.connection.descriptors();
			AsyncCall call;
			try {
				call = AsyncCall.create(current, destination, path, interfaceName, member, flags(),
						signature.isEmpty() ? null : signature, UntypedArguments.convert(signature, args));
			}
			catch (DBusException ex) {
				throw cannotBuild(description, signature, ex);
			}
			reply = call.send(current, this.connection.completions(), this.timeout, description,
					(message) -> Replies.toReply(message, descriptors, description));
		}
		catch (RuntimeException ex) {
			reply = CompletableFuture.failedFuture(ex);
		}
		return reply.whenComplete((value, failure) -> this.metrics.dbusCall(interfaceName, member, "out",
				System.nanoTime() - start, failure));
	}

	/**
	 * Read a property of a remote object ({@code org.freedesktop.DBus.Properties.Get}).
	 * @param destination bus name of the peer
	 * @param path object path
	 * @param interfaceName interface the property belongs to
	 * @param property the property's name
	 * @return the value, in the shapes of {@link DBusReply} (the variant unwrapped)
	 * @throws DBusCallException if the peer replies with an error (for example
	 * {@code org.freedesktop.DBus.Error.UnknownProperty}) or the bus is gone
	 * @throws DBusCallTimeoutException if no reply comes within the call timeout
	 */
	public Object getProperty(String destination, String path, String interfaceName, String property) {
		return call(destination, path, RemoteObjectProxy.PROPERTIES, "Get", "ss", interfaceName, property).get(0);
	}

	/**
	 * Write a property of a remote object ({@code org.freedesktop.DBus.Properties.Set}).
	 * @param destination bus name of the peer
	 * @param path object path
	 * @param interfaceName interface the property belongs to
	 * @param property the property's name
	 * @param signature D-Bus signature of the value, for example {@code s} or {@code u}
	 * @param value the value, as for {@link #call}
	 * @throws DBusCallException if the value does not fit the signature, the peer refuses
	 * it (for example {@code org.freedesktop.DBus.Error.PropertyReadOnly}) or the bus is
	 * gone
	 * @throws DBusCallTimeoutException if no reply comes within the call timeout
	 */
	public void setProperty(String destination, String path, String interfaceName, String property, String signature,
			Object value) {
		Object converted = UntypedArguments.convert(signature, new Object[] { value })[0];
		call(destination, path, RemoteObjectProxy.PROPERTIES, "Set", "ssv", interfaceName, property,
				new Variant<>(converted, signature));
	}

	/**
	 * Read all properties of an interface of a remote object
	 * ({@code org.freedesktop.DBus.Properties.GetAll}).
	 * @param destination bus name of the peer
	 * @param path object path
	 * @param interfaceName interface whose properties to read
	 * @return the values by property name, in the shapes of {@link DBusReply}
	 * @throws DBusCallException if the peer replies with an error or the bus is gone
	 * @throws DBusCallTimeoutException if no reply comes within the call timeout
	 */
	@SuppressWarnings("unchecked")
	public Map<String, Object> getAllProperties(String destination, String path, String interfaceName) {
		return (Map<String, Object>) call(destination, path, RemoteObjectProxy.PROPERTIES, "GetAll", "s", interfaceName)
			.get(0, Map.class);
	}

	/**
	 * Tell the bus that properties of an exported object changed
	 * ({@code org.freedesktop.DBus.Properties.PropertiesChanged}), as Qt and GDBus
	 * services do after a property is set, so that clients watching them (proxies that
	 * cache properties, {@code gdbus monitor}) see the new values.
	 * @param path object path of the exported object
	 * @param interfaceName interface the properties belong to
	 * @param changed new values by property name: a value is sent with the signature of
	 * its Java type ({@code Integer} as {@code i}, {@code Long} as {@code x},
	 * {@code String} as {@code s}); pass a dbus-java {@link Variant} for another
	 * signature, for example {@code new Variant<>(new UInt32(7))}
	 * @param invalidated names of properties that changed without sending their values
	 * @throws DBusCallException if a value cannot be sent or the bus is gone
	 */
	public void emitPropertiesChanged(String path, String interfaceName, Map<String, ?> changed,
			List<String> invalidated) {
		Map<String, Variant<?>> values = new LinkedHashMap<>();
		changed.forEach((name, value) -> values.put(name,
				(value instanceof Variant<?> variant) ? variant : new Variant<>(value)));
		try {
			emit(new Properties.PropertiesChanged(path, interfaceName, values, invalidated));
		}
		catch (DBusException | IllegalArgumentException ex) {
			throw new DBusCallException("org.freedesktop.DBus.Error.InvalidArgs", "Could not build"
					+ " PropertiesChanged of " + interfaceName + " at " + path + ": " + ex.getMessage(), ex);
		}
	}

	private byte flags() {
		return this.connection.settings().autoStart() ? 0 : Flags.NO_AUTO_START;
	}

	private static Supplier<String> describe(String destination, String path, String interfaceName, String member) {
		return () -> interfaceName + "." + member + " on " + destination + " " + path;
	}

	private static DBusCallException cannotBuild(Supplier<String> description, String signature, DBusException ex) {
		return new DBusCallException("org.freedesktop.DBus.Error.InvalidArgs", "Could not build the call "
				+ description.get() + " with signature '" + signature + "': " + ex.getMessage(), ex);
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
