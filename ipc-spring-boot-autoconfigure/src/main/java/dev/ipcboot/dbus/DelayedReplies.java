package dev.ipcboot.dbus;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.freedesktop.dbus.Marshalling;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.Message;
import org.freedesktop.dbus.messages.MethodCall;
import org.freedesktop.dbus.messages.constants.Flags;
import org.freedesktop.dbus.utils.DBusNamingUtil;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

/**
 * Answers calls to exported methods that return a {@link CompletionStage} (Qt's delayed
 * replies): the reply is sent when the stage completes, and no thread waits meanwhile.
 * dbus-java would block on such a method or fail to marshal its result, so these calls
 * are taken off the wire before dbus-java sees them ({@link #offer}, called by the
 * connection's message reader) and answered here; every other message goes on to
 * dbus-java unchanged.
 */
final class DelayedReplies {

	private static final Log logger = LogFactory.getLog(DelayedReplies.class);

	private static final ClassValue<Map<Key, FutureMethod>> FUTURE_METHODS = new ClassValue<>() {
		@Override
		protected Map<Key, FutureMethod> computeValue(Class<?> type) {
			return futureMethods(type);
		}
	};

	private final BusConnection owner;

	private final Function<String, @Nullable DBusInterface> exports;

	private final Executor executor;

	/**
	 * @param owner the connection, for the caller's identity
	 * @param exports the exported object at a path, or {@code null}
	 * @param executor runs the exported methods, off the reading thread
	 */
	DelayedReplies(BusConnection owner, Function<String, @Nullable DBusInterface> exports, Executor executor) {
		this.owner = owner;
		this.exports = exports;
		this.executor = executor;
	}

	/**
	 * Whether an object has methods that return a future, so that it needs
	 * {@link FutureExportedObject} to be exported.
	 */
	static boolean hasFutureMethods(Object object) {
		return !FUTURE_METHODS.get(object.getClass()).isEmpty();
	}

	/** Whether a method returns a future, and so is answered here. */
	static boolean returnsFuture(Method method) {
		return CompletionStage.class.isAssignableFrom(method.getReturnType());
	}

	/**
	 * The type a future-returning method completes with.
	 * @throws IllegalArgumentException for a raw future
	 */
	static Type completionType(Method method) {
		if (method.getGenericReturnType() instanceof ParameterizedType future) {
			return future.getActualTypeArguments()[0];
		}
		throw new IllegalArgumentException("Method " + method
				+ " returns a raw future; declare what it completes with, for example CompletionStage<String> or"
				+ " CompletionStage<Void>");
	}

	/**
	 * Take a call read from the bus if it calls a future-returning method of an exported
	 * object; runs on dbus-java's reading thread.
	 * @param connection the connection the call came on, to answer on
	 * @param answered run once when the call taken is answered (its reply or error sent,
	 * or no reply expected), failed or dropped
	 * @return {@code true} if the call is answered here, {@code false} to pass it on to
	 * dbus-java
	 */
	boolean offer(MethodCall call, DBusConnection connection, Runnable answered) {
		if (call.getPath() == null) {
			return false;
		}
		DBusInterface target = this.exports.apply(call.getPath());
		if (target == null) {
			return false;
		}
		Map<Key, FutureMethod> methods = FUTURE_METHODS.get(target.getClass());
		if (methods.isEmpty()) {
			return false;
		}
		String signature = (call.getSig() != null) ? call.getSig() : "";
		FutureMethod method = methods.get(new Key(call.getInterface(), call.getName(), signature));
		if (method == null && call.getInterface() == null) {
			// the interface is optional in a call: any method of that name and signature
			method = methods.values()
				.stream()
				.filter((candidate) -> candidate.key.member.equals(call.getName())
						&& candidate.key.signature.equals(signature))
				.findFirst()
				.orElse(null);
		}
		if (method == null) {
			return false;
		}
		FutureMethod found = method;
		Runnable once = once(answered);
		try {
			this.executor.execute(() -> {
				try {
					answer(connection, call, found, target, once);
				}
				catch (RuntimeException | Error ex) {
					once.run();
					throw ex;
				}
			});
		}
		catch (RejectedExecutionException ex) {
			// closing: the caller gets no reply, as for any call the connection drops
			once.run();
			logger.debug("Dropped a call to " + found.method + " while closing", ex);
		}
		return true;
	}

	private static Runnable once(Runnable action) {
		AtomicBoolean done = new AtomicBoolean();
		return () -> {
			if (done.compareAndSet(false, true)) {
				action.run();
			}
		};
	}

	private void answer(DBusConnection connection, MethodCall call, FutureMethod method, Object target,
			Runnable answered) {
		CompletionStage<?> stage;
		try {
			Object[] args = Marshalling.deSerializeParameters(call.getParameters(),
					method.method.getGenericParameterTypes(), connection);
			stage = (CompletionStage<?>) DBusCallContext.serving(this.owner, call.getSource(),
					() -> method.method.invoke(target, args));
			if (stage == null) {
				throw new IllegalStateException(
						method.method + " returned null; return a CompletionStage, completed or not");
			}
		}
		catch (InvocationTargetException ex) {
			replyError(connection, call, method, ex.getTargetException());
			answered.run();
			return;
		}
		catch (Exception ex) {
			replyError(connection, call, method, ex);
			answered.run();
			return;
		}
		stage.whenComplete((value, failure) -> {
			try {
				if (failure != null) {
					replyError(connection, call, method,
							(failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause()
									: failure);
				}
				else {
					reply(connection, call, method, value);
				}
			}
			finally {
				answered.run();
			}
		});
	}

	private static void reply(DBusConnection connection, MethodCall call, FutureMethod method, @Nullable Object value) {
		if ((call.getFlags() & Flags.NO_REPLY_EXPECTED) != 0) {
			return;
		}
		try {
			if (method.signature == null) {
				send(connection, connection.getMessageFactory().createMethodReturn(call, null));
				return;
			}
			Object[] converted = Marshalling.convertParameters(new Object[] { value }, new Type[] { method.type },
					connection);
			send(connection, connection.getMessageFactory().createMethodReturn(call, method.signature, converted));
		}
		catch (DBusException | RuntimeException ex) {
			replyError(connection, call, method, new DBusExecutionException("The result of " + method.method
					+ " cannot be sent as '" + method.signature + "': " + ex.getMessage(), ex));
		}
	}

	private static void replyError(DBusConnection connection, MethodCall call, FutureMethod method, Throwable failure) {
		if ((call.getFlags() & Flags.NO_REPLY_EXPECTED) != 0) {
			logger.debug("Call to " + method.method + " failed; the caller wants no reply", failure);
			return;
		}
		// like dbus-java's answer to a method that throws: the application's own
		// DBusExecutionException keeps its name, anything else is Failed
		Throwable sent = (failure instanceof DBusExecutionException) ? failure : new DBusExecutionException(
				"Error Executing Method " + call.getInterface() + "." + call.getName() + ": " + failure.getMessage(),
				failure);
		try {
			send(connection, connection.getMessageFactory().createError(call, sent));
		}
		catch (DBusException ex) {
			logger.warn("Could not send the error reply of " + method.method + " (" + failure + ")", ex);
		}
	}

	private static void send(DBusConnection connection, Message reply) {
		try {
			connection.sendMessage(reply);
		}
		catch (RuntimeException ex) {
			// the bus went away while the reply was pending: the caller is gone with it
			logger.debug("Could not send a delayed reply", ex);
		}
	}

	private static Map<Key, FutureMethod> futureMethods(Class<?> type) {
		Map<Key, FutureMethod> methods = new HashMap<>();
		for (Class<?> contract : ClassUtils.getAllInterfacesForClassAsSet(type)) {
			if (!DBusInterface.class.isAssignableFrom(contract)) {
				continue;
			}
			for (Method method : contract.getMethods()) {
				if (!returnsFuture(method) || !DBusInterface.class.isAssignableFrom(method.getDeclaringClass())) {
					continue;
				}
				try {
					String signature = Marshalling.getDBusType(method.getGenericParameterTypes());
					Type completion = completionType(method);
					String result = (completion == Void.class) ? null
							: String.join("", Marshalling.getDBusType(completion));
					Key key = new Key(DBusNamingUtil.getInterfaceName(method.getDeclaringClass()),
							DBusNamingUtil.getMethodName(method), signature);
					methods.put(key, new FutureMethod(key, method, completion, result));
				}
				catch (DBusException ex) {
					throw new IllegalArgumentException("Method " + method + " cannot be exported: " + ex.getMessage()
							+ " (parameters " + Arrays.toString(method.getGenericParameterTypes()) + ")", ex);
				}
			}
		}
		return Map.copyOf(methods);
	}

	private record Key(@Nullable String interfaceName, String member, String signature) {

	}

	/**
	 * A future-returning method of an exported interface.
	 *
	 * @param key how calls address it
	 * @param method the method
	 * @param type the type its future completes with
	 * @param signature D-Bus signature of the reply, {@code null} for none
	 */
	private record FutureMethod(Key key, Method method, Type type, @Nullable String signature) {

	}

}
