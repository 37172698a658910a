package dev.ipcboot.dbus;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.time.Duration;

import org.freedesktop.dbus.DBusAsyncReply;
import org.freedesktop.dbus.RemoteInvocationHandler;
import org.freedesktop.dbus.RemoteObject;
import org.freedesktop.dbus.annotations.MethodNoReply;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.Message;
import org.jspecify.annotations.Nullable;

/**
 * A typed proxy to a remote object that, unlike dbus-java's own, waits for each reply
 * only as long as its timeout, follows the connection across reconnections and throws
 * {@link DBusCallException} for every failure. Marshalling is dbus-java's.
 */
final class RemoteObjectProxy implements InvocationHandler {

	private static final Object[] NO_ARGS = {};

	private final BusConnection connection;

	private final RemoteObject remote;

	private final Duration timeout;

	RemoteObjectProxy(BusConnection connection, String busName, String path, Class<? extends DBusInterface> type,
			Duration timeout) {
		this.connection = connection;
		this.remote = new RemoteObject(busName, path, type, false);
		this.timeout = timeout;
	}

	@Override
	public @Nullable Object invoke(Object proxy, Method method, Object @Nullable [] args) throws Throwable {
		if (method.getDeclaringClass() == Object.class) {
			return switch (method.getName()) {
				case "equals" -> proxy == args[0];
				case "hashCode" -> System.identityHashCode(proxy);
				default -> "D-Bus proxy " + this.remote;
			};
		}
		if (method.getParameterCount() == 0 && method.getName().equals("getObjectPath")) {
			return this.remote.getObjectPath();
		}
		if (method.getParameterCount() == 0 && method.getName().equals("isRemote")) {
			return true;
		}
		DBusConnection current = this.connection.connection();
		Object pending;
		try {
			pending = RemoteInvocationHandler.executeRemoteMethod(this.remote, method, current,
					RemoteInvocationHandler.CALL_TYPE_ASYNC, null, (args != null) ? args : NO_ARGS);
		}
		catch (DBusExecutionException ex) {
			throw Replies.toException(ex, describe(method));
		}
		if (!(pending instanceof DBusAsyncReply<?> asyncReply) || method.isAnnotationPresent(MethodNoReply.class)) {
			return null;
		}
		Message reply = Replies.await(asyncReply.getCall(), this.timeout, describe(method));
		try {
			return RemoteInvocationHandler.convertRV(reply.getParameters(), method, current);
		}
		catch (DBusException ex) {
			throw new DBusCallException("org.freedesktop.DBus.Error.InvalidSignature", "The reply to "
					+ describe(method) + " does not fit " + method.getGenericReturnType() + ": " + ex.getMessage(), ex);
		}
	}

	private String describe(Method method) {
		return method.getName() + " on " + this.remote.getBusName() + " " + this.remote.getObjectPath();
	}

}
