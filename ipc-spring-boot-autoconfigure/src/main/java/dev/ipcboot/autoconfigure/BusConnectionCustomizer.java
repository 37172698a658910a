package dev.ipcboot.autoconfigure;

import dev.ipcboot.dbus.BusConnection;

/**
 * Callback that customizes the application's {@link BusConnection} after it is created
 * and before anything connects it: export objects that are not beans, for example. Every
 * customizer bean is applied, in {@link org.springframework.core.annotation.Order @Order}
 * (or {@link org.springframework.core.Ordered}) order; none applies to a connection bean
 * the application defines itself.
 */
@FunctionalInterface
public interface BusConnectionCustomizer {

	/**
	 * Customize the connection.
	 * @param connection the connection, not connected yet
	 */
	void customize(BusConnection connection);

}
