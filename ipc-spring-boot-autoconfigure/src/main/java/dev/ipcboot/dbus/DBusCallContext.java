package dev.ipcboot.dbus;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.Callable;

import org.freedesktop.dbus.DBusCallInfo;
import org.freedesktop.dbus.connections.AbstractConnection;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

/**
 * What an exported bean can learn about the D-Bus call it is answering, as Qt's
 * {@code QDBusContext} does: inject it (the starter defines one) and ask it inside the
 * exported method. For example, a method that only root and one service account may call:
 *
 * <pre class="code">
 * public void Reboot() {
 *     long uid = this.context.caller().uid();
 *     if (uid != 0 &amp;&amp; uid != this.allowedUid) {
 *         throw new AccessDenied("uid " + uid + " may not reboot");
 *     }
 *     ...
 * }
 * </pre>
 *
 * {@code org.freedesktop.dbus.errors.AccessDenied} reaches the caller as
 * {@code org.freedesktop.DBus.Error.AccessDenied}. The uid is the one the bus daemon read
 * from the caller's socket, so the caller cannot forge it.
 */
public final class DBusCallContext {

	private static final ThreadLocal<@Nullable Scope> SERVING = new ThreadLocal<>();

	/**
	 * Whether the current thread is answering a D-Bus call to an exported bean.
	 * @return {@code true} inside an exported method called over the bus
	 */
	public boolean isInCall() {
		Scope scope = SERVING.get();
		return scope != null && scope.sender() != null;
	}

	/**
	 * The caller of the D-Bus call the current thread is answering.
	 * @return the caller; each call has its own, which asks the bus for the caller's ids
	 * at most once
	 * @throws IllegalStateException outside an exported method called over the bus
	 */
	public DBusCaller caller() {
		Scope scope = SERVING.get();
		String sender = (scope != null) ? scope.sender() : null;
		if (scope == null || sender == null) {
			throw new IllegalStateException(
					"No D-Bus call is being answered on thread " + Thread.currentThread().getName()
							+ "; ask for the caller inside a method of a bean exported with @DBusExport or"
							+ " BusConnection.export, on the thread that the call arrived on");
		}
		return new DBusCaller(sender, scope.connection());
	}

	/**
	 * Run a method of an exported object for a call that the starter answers itself (a
	 * delayed reply), so that the method can ask who is calling.
	 */
	static @Nullable Object serving(BusConnection connection, @Nullable String sender, Callable<?> method)
			throws Exception {
		Scope outer = SERVING.get();
		SERVING.set(new Scope(connection, sender));
		try {
			return method.call();
		}
		finally {
			restore(outer);
		}
	}

	private static void restore(@Nullable Scope outer) {
		if (outer != null) {
			SERVING.set(outer);
		}
		else {
			SERVING.remove();
		}
	}

	/**
	 * Wrap an object to export so that its methods know which connection serves them.
	 * @return a proxy implementing the object's interfaces, or the object itself if it
	 * has none a proxy can implement
	 */
	static DBusInterface serving(DBusInterface object, BusConnection connection) {
		Class<?>[] interfaces = ClassUtils.getAllInterfacesForClass(object.getClass(),
				object.getClass().getClassLoader());
		try {
			return (DBusInterface) Proxy.newProxyInstance(object.getClass().getClassLoader(), interfaces,
					new Serving(object, connection));
		}
		catch (IllegalArgumentException ex) {
			// interfaces a proxy cannot implement together; dbus-java will say why it
			// cannot export them either, or export the object as it is
			return object;
		}
	}

	/** The connection and caller a thread serves while an exported method runs. */
	private record Scope(BusConnection connection, @Nullable String sender) {

	}

	/** Marks the thread as serving a connection while an exported method runs. */
	private record Serving(Object target, BusConnection connection) implements InvocationHandler {

		@Override
		public @Nullable Object invoke(Object proxy, Method method, @Nullable Object[] args) throws Throwable {
			Scope outer = SERVING.get();
			if (outer == null) {
				// called by dbus-java, which knows the caller
				DBusCallInfo info = AbstractConnection.getCallInfo();
				SERVING.set(new Scope(this.connection, (info != null) ? info.getSource() : null));
			}
			try {
				return method.invoke(this.target, args);
			}
			catch (InvocationTargetException ex) {
				throw ex.getTargetException();
			}
			finally {
				restore(outer);
			}
		}

	}

}
