package dev.ipcboot.dbus;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.freedesktop.dbus.Marshalling;
import org.freedesktop.dbus.RemoteInvocationHandler;
import org.freedesktop.dbus.annotations.MethodNoReply;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.Message;
import org.freedesktop.dbus.messages.MethodCall;
import org.freedesktop.dbus.messages.constants.Flags;
import org.freedesktop.dbus.utils.DBusNamingUtil;
import org.jspecify.annotations.Nullable;

import dev.ipcboot.IpcDBusMetrics;
import dev.ipcboot.IpcMetrics;

/**
 * A typed proxy to a remote object that, unlike dbus-java's own, waits for each reply
 * only as long as its timeout, follows the connection across reconnections and throws
 * {@link DBusCallException} for every failure. Marshalling is dbus-java's; what dbus-java
 * works out by reflection on every call (signature, member name, no-reply flag) and the
 * method's meters are worked out once per method here.
 */
final class RemoteObjectProxy implements InvocationHandler {

	private static final Object[] NO_ARGS = {};

	private final BusConnection connection;

	private final String busName;

	private final String path;

	private final String interfaceName;

	private final Duration timeout;

	private final IpcMetrics metrics;

	private final Map<Method, RemoteMethod> methods = new ConcurrentHashMap<>();

	RemoteObjectProxy(BusConnection connection, String busName, String path, Class<? extends DBusInterface> type,
			Duration timeout, IpcMetrics metrics) {
		this.connection = connection;
		this.metrics = metrics;
		this.busName = busName;
		this.path = path;
		this.interfaceName = DBusNamingUtil.getInterfaceName(type);
		this.timeout = timeout;
	}

	@Override
	public @Nullable Object invoke(Object proxy, Method method, Object @Nullable [] args) throws Throwable {
		if (method.getDeclaringClass() == Object.class) {
			return switch (method.getName()) {
				case "equals" -> proxy == args[0];
				case "hashCode" -> System.identityHashCode(proxy);
				default -> "D-Bus proxy to " + this.interfaceName + " at " + this.busName + " " + this.path;
			};
		}
		if (method.getParameterCount() == 0 && method.getName().equals("getObjectPath")) {
			return this.path;
		}
		if (method.getParameterCount() == 0 && method.getName().equals("isRemote")) {
			return true;
		}
		RemoteMethod remote = this.methods.get(method);
		if (remote == null) {
			remote = this.methods.computeIfAbsent(method, (m) -> RemoteMethod.of(m, this.interfaceName, this.metrics));
		}
		long start = System.nanoTime();
		try {
			@Nullable Object result = call(method, remote, args);
			remote.metrics.call(System.nanoTime() - start, null);
			return result;
		}
		catch (RuntimeException ex) {
			remote.metrics.call(System.nanoTime() - start, ex);
			throw ex;
		}
	}

	private @Nullable Object call(Method method, RemoteMethod remote, Object @Nullable [] args) {
		DBusConnection current = this.connection.connection();
		MethodCall call;
		try {
			Object[] converted = (remote.parameterTypes.length > 0)
					? Marshalling.convertParameters((args != null) ? args : NO_ARGS, remote.parameterTypes, current)
					: NO_ARGS;
			call = current.getMessageFactory()
				.createMethodCall(null, this.busName, this.path, this.interfaceName, remote.member, remote.flags,
						remote.signature, converted);
		}
		catch (DBusException ex) {
			throw new DBusCallException("org.freedesktop.DBus.Error.InvalidArgs",
					"Could not build the call " + describe(method) + ": " + ex.getMessage(), ex);
		}
		current.sendMessage(call);
		if (remote.noReply) {
			return null;
		}
		Message reply = Replies.await(call, this.timeout, () -> describe(method));
		try {
			return RemoteInvocationHandler.convertRV(reply.getParameters(), method, current);
		}
		catch (DBusException ex) {
			throw new DBusCallException("org.freedesktop.DBus.Error.InvalidSignature", "The reply to "
					+ describe(method) + " does not fit " + method.getGenericReturnType() + ": " + ex.getMessage(), ex);
		}
	}

	private String describe(Method method) {
		return this.interfaceName + "." + method.getName() + " on " + this.busName + " " + this.path;
	}

	private record RemoteMethod(Type[] parameterTypes, @Nullable String signature, String member, byte flags,
			boolean noReply, IpcDBusMetrics metrics) {

		static RemoteMethod of(Method method, String interfaceName, IpcMetrics metrics) {
			Type[] types = method.getGenericParameterTypes();
			String signature;
			try {
				signature = (types.length > 0) ? Marshalling.getDBusType(types) : null;
			}
			catch (DBusException ex) {
				throw new IllegalArgumentException(
						"Method " + method + " has parameters that D-Bus cannot carry: " + ex.getMessage(), ex);
			}
			boolean noReply = method.isAnnotationPresent(MethodNoReply.class);
			byte flags = Flags.NO_AUTO_START;
			if (noReply) {
				flags |= Flags.NO_REPLY_EXPECTED;
			}
			String member = DBusNamingUtil.getMethodName(method);
			return new RemoteMethod(types, signature, member, flags, noReply,
					metrics.dbus(interfaceName, member, "out"));
		}

	}

}
