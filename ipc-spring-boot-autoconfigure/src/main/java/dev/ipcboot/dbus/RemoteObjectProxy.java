package dev.ipcboot.dbus;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import org.freedesktop.dbus.Marshalling;
import org.freedesktop.dbus.RemoteInvocationHandler;
import org.freedesktop.dbus.annotations.DBusBoundProperty;
import org.freedesktop.dbus.annotations.DBusProperty.Access;
import org.freedesktop.dbus.annotations.MethodNoReply;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.messages.Message;
import org.freedesktop.dbus.messages.MethodCall;
import org.freedesktop.dbus.messages.constants.Flags;
import org.freedesktop.dbus.propertyref.PropertyRef;
import org.freedesktop.dbus.types.Variant;
import org.freedesktop.dbus.utils.DBusNamingUtil;
import org.jspecify.annotations.Nullable;

import dev.ipcboot.internal.IpcDBusMetrics;
import dev.ipcboot.internal.IpcMetrics;

/**
 * A typed proxy to a remote object that, unlike dbus-java's own, waits for each reply
 * only as long as its timeout, follows the connection across reconnections and throws
 * {@link DBusCallException} for every failure. Marshalling is dbus-java's; what dbus-java
 * works out by reflection on every call (signature, member name, no-reply flag) and the
 * method's meters are worked out once per method here.
 * <p>
 * A method annotated with dbus-java's {@code @DBusBoundProperty} reads or writes the
 * property through {@code org.freedesktop.DBus.Properties}; the methods of
 * {@link Properties} itself go to that interface. A method declared to return
 * {@link CompletableFuture} or {@link CompletionStage} returns at once, and its future
 * completes with the reply.
 */
final class RemoteObjectProxy implements InvocationHandler {

	private static final Object[] NO_ARGS = {};

	static final String PROPERTIES = "org.freedesktop.DBus.Properties";

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
			remote = this.methods.computeIfAbsent(method,
					(m) -> RemoteMethod.of(m, this.metrics, this.connection.settings().autoStart()));
		}
		if (remote.async) {
			return callAsync(method, remote, args);
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
			call = current.getMessageFactory()
				.createMethodCall(null, this.busName, this.path, remote.interfaceName, remote.member, remote.flags,
						remote.signature, arguments(current, remote, args));
		}
		catch (DBusException ex) {
			throw cannotBuild(method, ex);
		}
		current.sendMessage(call);
		if (remote.noReply) {
			return null;
		}
		Message reply = Replies.await(call, this.timeout, () -> describe(method));
		return result(current, method, remote, reply);
	}

	private CompletableFuture<?> callAsync(Method method, RemoteMethod remote, Object @Nullable [] args) {
		long start = System.nanoTime();
		CompletableFuture<Object> result;
		try {
			DBusConnection current = this.connection.connection();
			AsyncCall call;
			try {
				call = AsyncCall.create(current, this.busName, this.path, remote.interfaceName, remote.member,
						remote.flags, remote.signature, arguments(current, remote, args));
			}
			catch (DBusException ex) {
				throw cannotBuild(method, ex);
			}
			if (remote.noReply) {
				current.sendMessage(call);
				result = CompletableFuture.completedFuture(null);
			}
			else {
				result = call.send(current, this.connection.completions(), this.timeout, () -> describe(method),
						(reply) -> result(current, method, remote, reply));
			}
		}
		catch (RuntimeException ex) {
			result = CompletableFuture.failedFuture(ex);
		}
		return result.whenComplete((value, failure) -> remote.metrics.call(System.nanoTime() - start, failure));
	}

	private static Object[] arguments(DBusConnection current, RemoteMethod remote, Object @Nullable [] args)
			throws DBusException {
		if (remote.parameterTypes.length == 0) {
			return remote.fixedArgs;
		}
		Object[] converted = Marshalling.convertParameters((args != null) ? args : NO_ARGS, remote.parameterTypes,
				current);
		if (remote.kind == Kind.SET_PROPERTY) {
			return new Object[] { remote.fixedArgs[0], remote.fixedArgs[1],
					new Variant<>(converted[0], remote.valueSignature) };
		}
		return converted;
	}

	private @Nullable Object result(DBusConnection current, Method method, RemoteMethod remote, Message reply) {
		try {
			Object[] parameters = reply.getParameters();
			if (remote.resultType == Void.class || remote.resultType == void.class) {
				return null;
			}
			if (remote.kind == Kind.GET_PROPERTY) {
				Object value = (parameters != null && parameters.length == 1 && parameters[0] instanceof Variant<?> v)
						? v.getValue() : null;
				if (value == null) {
					throw new DBusException("the reply is not a single variant but '" + reply.getSig() + "'");
				}
				if (remote.resultType == Variant.class) {
					return parameters[0];
				}
				return Marshalling.deSerializeParameters(new Object[] { value }, new Type[] { remote.resultType },
						current)[0];
			}
			return RemoteInvocationHandler.convertRV(parameters, new Type[] { remote.resultType }, method, current);
		}
		catch (Exception ex) {
			// dbus-java's conversions throw DBusException, and Exception for a value that
			// does not fit
			throw new DBusCallException("org.freedesktop.DBus.Error.InvalidSignature",
					"The reply to " + describe(method) + " does not fit " + remote.resultType + ": " + ex.getMessage(),
					ex);
		}
	}

	private DBusCallException cannotBuild(Method method, DBusException ex) {
		return new DBusCallException("org.freedesktop.DBus.Error.InvalidArgs",
				"Could not build the call " + describe(method) + ": " + ex.getMessage(), ex);
	}

	private String describe(Method method) {
		return this.interfaceName + "." + method.getName() + " on " + this.busName + " " + this.path;
	}

	private enum Kind {

		METHOD, GET_PROPERTY, SET_PROPERTY

	}

	/**
	 * What a method of the proxied interface sends, worked out once.
	 *
	 * @param kind a method call or a property access
	 * @param parameterTypes the Java types of the arguments the application passes
	 * @param fixedArgs for properties, the interface and property names that precede the
	 * value; otherwise empty
	 * @param valueSignature for a property setter, the signature of the value
	 * @param signature signature of the call
	 * @param interfaceName interface the call goes to
	 * @param member member the call goes to
	 * @param flags header flags of the call
	 * @param noReply whether no reply is expected
	 * @param async whether the method returns a future
	 * @param resultType the Java type of the result (the future's type argument for an
	 * asynchronous method)
	 * @param metrics the method's meters
	 */
	private record RemoteMethod(Kind kind, Type[] parameterTypes, Object[] fixedArgs, @Nullable String valueSignature,
			@Nullable String signature, String interfaceName, String member, byte flags, boolean noReply, boolean async,
			Type resultType, IpcDBusMetrics metrics) {

		static RemoteMethod of(Method method, IpcMetrics metrics, boolean autoStart) {
			Type[] types = method.getGenericParameterTypes();
			boolean noReply = method.isAnnotationPresent(MethodNoReply.class);
			byte flags = autoStart ? 0 : Flags.NO_AUTO_START;
			if (noReply) {
				flags |= Flags.NO_REPLY_EXPECTED;
			}
			boolean async = method.getReturnType() == CompletableFuture.class
					|| method.getReturnType() == CompletionStage.class;
			Type resultType = async ? futureType(method) : method.getGenericReturnType();
			String interfaceName = DBusNamingUtil.getInterfaceName(method.getDeclaringClass());
			try {
				if (method.isAnnotationPresent(DBusBoundProperty.class)) {
					String property = DBusNamingUtil.getPropertyName(method);
					Object[] names = { interfaceName, property };
					if (PropertyRef.accessForMethod(method) == Access.READ) {
						return new RemoteMethod(Kind.GET_PROPERTY, new Type[0], names, null, "ss", PROPERTIES, "Get",
								flags, noReply, async, resultType, metrics.dbus(interfaceName, property, "out"));
					}
					if (types.length != 1) {
						throw new IllegalArgumentException(
								"Property setter " + method + " must take exactly one parameter, the new value");
					}
					return new RemoteMethod(Kind.SET_PROPERTY, types, names, Marshalling.getDBusType(types), "ssv",
							PROPERTIES, "Set", flags, noReply, async, resultType,
							metrics.dbus(interfaceName, property, "out"));
				}
				String signature = (types.length > 0) ? Marshalling.getDBusType(types) : null;
				String member = DBusNamingUtil.getMethodName(method);
				return new RemoteMethod(Kind.METHOD, types, NO_ARGS, null, signature, interfaceName, member, flags,
						noReply, async, resultType, metrics.dbus(interfaceName, member, "out"));
			}
			catch (DBusException ex) {
				throw new IllegalArgumentException(
						"Method " + method + " has parameters that D-Bus cannot carry: " + ex.getMessage(), ex);
			}
		}

		private static Type futureType(Method method) {
			if (method.getGenericReturnType() instanceof ParameterizedType future) {
				return future.getActualTypeArguments()[0];
			}
			throw new IllegalArgumentException("Method " + method
					+ " returns a raw future; declare what it completes with, for example CompletableFuture<String>"
					+ " or CompletableFuture<Void>");
		}

	}

}
