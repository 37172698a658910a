package dev.ipcboot.dbus;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import dev.ipcboot.IpcThreads;

/**
 * How to connect to a bus and what to do after connecting.
 *
 * @param name name of the connection, for events, logs and thread names ({@code dbus} for
 * {@code ipc.dbus})
 * @param property configuration property prefix, for error messages ({@code ipc.dbus})
 * @param bus {@code session}, {@code system}, {@code private} or a bus address
 * @param serviceName well-known name to request, or {@code null}
 * @param callTimeout how long a method call waits for its reply by default
 * @param reconnect whether to reconnect when the bus goes away
 * @param initialBackoff first wait before reconnecting
 * @param maxBackoff longest wait between reconnection attempts
 * @param autoStart whether calls ask the bus to start a service that is not running but
 * activatable (D-Bus activation, Qt's default); {@code false} sets {@code NO_AUTO_START}
 * on every call, so calling an absent service fails at once
 * @param threads the threads that run signal callbacks and complete asynchronous calls
 * (virtual with {@code spring.threads.virtual.enabled} on Java 21+)
 */
public record DBusSettings(String name, String property, String bus, @Nullable String serviceName, Duration callTimeout,
		boolean reconnect, Duration initialBackoff, Duration maxBackoff, boolean autoStart, IpcThreads threads) {

	/**
	 * Settings on platform threads.
	 * @param name name of the connection, for events, logs and thread names
	 * @param property configuration property prefix, for error messages
	 * @param bus {@code session}, {@code system}, {@code private} or a bus address
	 * @param serviceName well-known name to request, or {@code null}
	 * @param callTimeout how long a method call waits for its reply by default
	 * @param reconnect whether to reconnect when the bus goes away
	 * @param initialBackoff first wait before reconnecting
	 * @param maxBackoff longest wait between reconnection attempts
	 * @param autoStart whether calls may start activatable services
	 */
	public DBusSettings(String name, String property, String bus, @Nullable String serviceName, Duration callTimeout,
			boolean reconnect, Duration initialBackoff, Duration maxBackoff, boolean autoStart) {
		this(name, property, bus, serviceName, callTimeout, reconnect, initialBackoff, maxBackoff, autoStart,
				IpcThreads.PLATFORM);
	}

	/**
	 * Settings whose calls may start activatable services.
	 * @param name name of the connection, for events, logs and thread names
	 * @param property configuration property prefix, for error messages
	 * @param bus {@code session}, {@code system}, {@code private} or a bus address
	 * @param serviceName well-known name to request, or {@code null}
	 * @param callTimeout how long a method call waits for its reply by default
	 * @param reconnect whether to reconnect when the bus goes away
	 * @param initialBackoff first wait before reconnecting
	 * @param maxBackoff longest wait between reconnection attempts
	 */
	public DBusSettings(String name, String property, String bus, @Nullable String serviceName, Duration callTimeout,
			boolean reconnect, Duration initialBackoff, Duration maxBackoff) {
		this(name, property, bus, serviceName, callTimeout, reconnect, initialBackoff, maxBackoff, true);
	}

	/**
	 * The same settings with activation on or off.
	 * @param autoStart whether calls may start activatable services
	 * @return the new settings
	 */
	public DBusSettings withAutoStart(boolean autoStart) {
		return new DBusSettings(this.name, this.property, this.bus, this.serviceName, this.callTimeout, this.reconnect,
				this.initialBackoff, this.maxBackoff, autoStart, this.threads);
	}

	/**
	 * The same settings on other threads.
	 * @param threads platform or virtual threads
	 * @return the new settings
	 */
	public DBusSettings withThreads(IpcThreads threads) {
		return new DBusSettings(this.name, this.property, this.bus, this.serviceName, this.callTimeout, this.reconnect,
				this.initialBackoff, this.maxBackoff, this.autoStart, threads);
	}

	/**
	 * Settings for a plain connection to a bus: no service name, a 5 second call timeout,
	 * reconnection with a backoff from 100 ms to 2 s and activation on.
	 * @param name name of the connection, for events, logs and thread names
	 * @param property configuration property that chose the bus, for error messages
	 * @param bus {@code session}, {@code system}, {@code private} or a bus address
	 * @return the settings
	 */
	public static DBusSettings of(String name, String property, String bus) {
		return new DBusSettings(name, property, bus, null, Duration.ofSeconds(5), true, Duration.ofMillis(100),
				Duration.ofSeconds(2));
	}

}
