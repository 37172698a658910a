package dev.ipcboot.dbus;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.Map;

import org.freedesktop.dbus.Marshalling;
import org.freedesktop.dbus.MethodTuple;
import org.freedesktop.dbus.connections.base.AbstractConnectionBase;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.ExportedObject;
import org.freedesktop.dbus.utils.DBusNamingUtil;
import org.freedesktop.dbus.utils.IThrowingConsumer;

/**
 * dbus-java's exported object for an object with methods that return a future: dbus-java
 * cannot describe a future's type, so this introspects such a method with the type the
 * future completes with ({@code CompletionStage<String>} as {@code out s}). Its calls
 * never reach dbus-java ({@link DelayedReplies} answers them). dbus-java has no way to
 * export an object through a subclass, so {@link #export} puts it where
 * {@code DBusConnection.exportObject} would; {@code unExportObject} removes it as usual.
 */
final class FutureExportedObject extends ExportedObject {

	private static final Method DO_WITH_EXPORTED_OBJECTS = exportedObjectsAccess();

	private FutureExportedObject(DBusInterface object) throws DBusException {
		super(object, false);
	}

	/**
	 * Export an object with future-returning methods, as
	 * {@code DBusConnection.exportObject} does.
	 * @throws DBusException if the path is taken or the object cannot be described
	 */
	@SuppressWarnings("unchecked")
	static void export(DBusConnection connection, String path, DBusInterface object) throws DBusException {
		FutureExportedObject exported = new FutureExportedObject(object);
		IThrowingConsumer<Map<String, ExportedObject>, DBusException> put = (exports) -> {
			if (exports.get(path) != null) {
				throw new DBusException("Object already exported");
			}
			exports.put(path, exported);
			synchronized (connection.getObjectTree()) {
				connection.getObjectTree().add(path, exported, exported.getIntrospectiondata());
			}
		};
		try {
			DO_WITH_EXPORTED_OBJECTS.invoke(connection, DBusException.class, put);
		}
		catch (InvocationTargetException ex) {
			if (ex.getTargetException() instanceof DBusException dbus) {
				throw dbus;
			}
			throw new IllegalStateException("Could not export " + object + " at " + path, ex.getTargetException());
		}
		catch (IllegalAccessException ex) {
			throw new IllegalStateException("Could not export " + object + " at " + path, ex);
		}
	}

	private static Method exportedObjectsAccess() {
		try {
			Method method = AbstractConnectionBase.class.getDeclaredMethod("doWithExportedObjects", Class.class,
					IThrowingConsumer.class);
			method.setAccessible(true);
			return method;
		}
		catch (NoSuchMethodException | RuntimeException ex) {
			throw new IllegalStateException("This dbus-java version does not let the starter export methods that"
					+ " return a future (AbstractConnectionBase.doWithExportedObjects is missing); use dbus-java 5.2",
					ex);
		}
	}

	@Override
	protected String generateMethodsXml(Class<?> type) throws DBusException {
		StringBuilder xml = new StringBuilder();
		for (Method method : type.getDeclaredMethods()) {
			if (isExcluded(method)) {
				continue;
			}
			String name = DBusNamingUtil.getMethodName(method);
			xml.append("  <method name=\"").append(name).append("\" >\n");
			xml.append(generateAnnotationsXml(method));
			for (Class<?> error : method.getExceptionTypes()) {
				if (DBusExecutionException.class.isAssignableFrom(error)) {
					xml.append("   <annotation name=\"org.freedesktop.DBus.Method.Error\" value=\"")
						.append(error.getName().replace('$', '.'))
						.append("\" />\n");
				}
			}
			StringBuilder signature = new StringBuilder();
			for (Type parameter : method.getGenericParameterTypes()) {
				for (String arg : Marshalling.getDBusType(parameter)) {
					xml.append("   <arg type=\"").append(arg).append("\" direction=\"in\"/>\n");
					signature.append(arg);
				}
			}
			Type result = DelayedReplies.returnsFuture(method) ? DelayedReplies.completionType(method)
					: method.getGenericReturnType();
			if (result != void.class && result != Void.class) {
				for (String arg : Marshalling.getDBusType(result)) {
					xml.append("   <arg type=\"").append(arg).append("\" direction=\"out\"/>\n");
				}
			}
			xml.append("  </method>\n");
			getMethods().putIfAbsent(new MethodTuple(name, signature.toString()), method);
		}
		return xml.toString();
	}

}
