package dev.ipcboot.dbus.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.utils.DBusNamingUtil;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

import dev.ipcboot.internal.IpcDBusMetrics;
import dev.ipcboot.internal.IpcMetrics;

/**
 * Wraps an exported bean so that every call a D-Bus peer makes to it is timed as an
 * incoming D-Bus call. The wrapper implements the bean's interfaces and nothing else, so
 * dbus-java exports and introspects it exactly as it would the bean; an exception the
 * bean throws reaches dbus-java unwrapped and becomes the same error reply; a call
 * answered with a delayed reply is timed until its stage completes. The meters of every
 * D-Bus method are looked up once, when the bean is wrapped.
 */
final class MeteredExport implements InvocationHandler {

	private final Object target;

	// read-only after construction; methods that are not D-Bus methods are absent
	private final Map<Method, IpcDBusMetrics> meters;

	private MeteredExport(Object target, Map<Method, IpcDBusMetrics> meters) {
		this.target = target;
		this.meters = meters;
	}

	static DBusInterface wrap(DBusInterface bean, IpcMetrics metrics) {
		if (metrics == IpcMetrics.NONE) {
			return bean;
		}
		Class<?>[] interfaces = ClassUtils.getAllInterfacesForClass(bean.getClass(), bean.getClass().getClassLoader());
		boolean allPublic = Arrays.stream(interfaces).allMatch((type) -> Modifier.isPublic(type.getModifiers()));
		if (!allPublic) {
			// a proxy of a non-public interface must live in that interface's package;
			// export the bean as it is
			return bean;
		}
		return (DBusInterface) Proxy.newProxyInstance(bean.getClass().getClassLoader(), interfaces,
				new MeteredExport(bean, meters(interfaces, metrics)));
	}

	private static Map<Method, IpcDBusMetrics> meters(Class<?>[] interfaces, IpcMetrics metrics) {
		Map<Method, IpcDBusMetrics> meters = new HashMap<>();
		for (Class<?> type : interfaces) {
			for (Method method : type.getMethods()) {
				Class<?> declaring = method.getDeclaringClass();
				if (DBusInterface.class.isAssignableFrom(declaring) && declaring != DBusInterface.class) {
					meters.put(method, metrics.dbus(DBusNamingUtil.getInterfaceName(declaring),
							DBusNamingUtil.getMethodName(method), "in"));
				}
			}
		}
		return meters;
	}

	@Override
	public @Nullable Object invoke(Object proxy, Method method, @Nullable Object[] args) throws Throwable {
		IpcDBusMetrics metrics = this.meters.get(method);
		if (metrics == null) {
			return invokeTarget(method, args);
		}
		long start = System.nanoTime();
		try {
			Object result = invokeTarget(method, args);
			if (result instanceof CompletionStage<?> stage) {
				// a delayed reply: the call lasts until the stage completes
				stage.whenComplete((value, failure) -> metrics.call(System.nanoTime() - start, failure));
				return result;
			}
			metrics.call(System.nanoTime() - start, null);
			return result;
		}
		catch (Throwable ex) {
			metrics.call(System.nanoTime() - start, ex);
			throw ex;
		}
	}

	private @Nullable Object invokeTarget(Method method, @Nullable Object[] args) throws Throwable {
		try {
			return method.invoke(this.target, args);
		}
		catch (InvocationTargetException ex) {
			throw ex.getTargetException();
		}
	}

}
