package dev.ipcboot.dbus;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Exports a bean on the application's D-Bus connection at the given object path. The bean
 * implements one or more dbus-java interfaces (sub-interfaces of
 * {@code org.freedesktop.dbus.interfaces.DBusInterface}); their methods and signals
 * become introspectable and callable by any D-Bus client ({@code busctl}, {@code gdbus},
 * {@code dbus-send}). The object is exported when the application starts, exported again
 * after a reconnection, and unexported when the context closes. An exception thrown by
 * one of its methods reaches the caller as a D-Bus error reply; the connection keeps
 * serving. Methods annotated with dbus-java's {@code @DBusBoundProperty} are D-Bus
 * properties; a method declared to return {@code CompletionStage<T>} is answered when the
 * stage completes (a delayed reply), without a thread waiting; a method can ask an
 * injected {@link DBusCallContext} who is calling.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface DBusExport {

	/**
	 * Object path to export the bean at, for example {@code /dev/ipcboot/Desk}.
	 * @return the object path
	 */
	String path();

}
