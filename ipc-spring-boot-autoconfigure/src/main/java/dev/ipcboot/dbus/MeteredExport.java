package dev.ipcboot.dbus;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Arrays;

import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.utils.DBusNamingUtil;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

import dev.ipcboot.IpcMetrics;

/**
 * Wraps an exported bean so that every call a D-Bus peer makes to it is timed as an
 * incoming D-Bus call. The wrapper implements the bean's interfaces and nothing else, so
 * dbus-java exports and introspects it exactly as it would the bean; an exception the
 * bean throws reaches dbus-java unwrapped and becomes the same error reply.
 */
final class MeteredExport implements InvocationHandler {

	private final Object target;

	private final IpcMetrics metrics;

	private MeteredExport(Object target, IpcMetrics metrics) {
		this.target = target;
		this.metrics = metrics;
	}

	static DBusInterface wrap(DBusInterface bean, IpcMetrics metrics) {
		if (metrics == IpcMetrics.NONE) {
			return bean;
		}
		Class<?>[] interfaces = ClassUtils.getAllInterfacesForClass(bean.getClass(), bean.getClass().getClassLoader());
		boolean allPublic = Arrays.stream(interfaces)
			.allMatch((type) -> java.lang.reflect.Modifier.isPublic(type.getModifiers()));
		if (!allPublic) {
			// a proxy of a non-public interface must live in that interface's package;
			// export the bean as it is
			return bean;
		}
		return (DBusInterface) Proxy.newProxyInstance(bean.getClass().getClassLoader(), interfaces,
				new MeteredExport(bean, metrics));
	}

	@Override
	public @Nullable Object invoke(Object proxy, Method method, @Nullable Object[] args) throws Throwable {
		if (method.getDeclaringClass() == Object.class
				|| !DBusInterface.class.isAssignableFrom(method.getDeclaringClass())
				|| method.getDeclaringClass() == DBusInterface.class) {
			return invokeTarget(method, args);
		}
		long start = System.nanoTime();
		String interfaceName = DBusNamingUtil.getInterfaceName(method.getDeclaringClass());
		String member = DBusNamingUtil.getMethodName(method);
		try {
			Object result = invokeTarget(method, args);
			this.metrics.dbusCall(interfaceName, member, "in", System.nanoTime() - start, null);
			return result;
		}
		catch (Throwable ex) {
			this.metrics.dbusCall(interfaceName, member, "in", System.nanoTime() - start, ex);
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
