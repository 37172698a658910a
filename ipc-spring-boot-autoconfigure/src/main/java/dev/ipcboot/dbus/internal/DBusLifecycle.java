package dev.ipcboot.dbus.internal;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.freedesktop.dbus.interfaces.DBusInterface;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.context.SmartLifecycle;

import dev.ipcboot.IpcEvent;
import dev.ipcboot.internal.IpcMetrics;
import dev.ipcboot.dbus.BusConnection;
import dev.ipcboot.dbus.DBusExport;
import dev.ipcboot.dbus.DBusNameOwnerChangedEvent;
import dev.ipcboot.dbus.DBusSettings;
import dev.ipcboot.dbus.DBusSignalRule;

/**
 * Brings the application's D-Bus connection up when the context starts: exports the
 * {@link DBusExport} beans, subscribes the signal channels and the watched names, then
 * connects (which requests the service name). With none of those to do it does not
 * connect at all, leaving the connection to the first call. When it is created and the
 * settings already show that starting will connect (a service name, the private bus,
 * signal channels or watched names), it has the connection start connecting in the
 * background, so that starting the daemon and opening the connection overlap with the
 * creation of the other beans; the name is still requested, and everything exported, by
 * {@link #start()}. Stopping closes the connection, which unexports everything and ends
 * the subscriptions.
 */
public final class DBusLifecycle implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(DBusLifecycle.class);

	private static final String BUS = "org.freedesktop.DBus";

	private final BusConnection connection;

	private final List<DBusSignalChannel> channels;

	private final List<String> watchNames;

	private final ListableBeanFactory beanFactory;

	private final Consumer<IpcEvent> events;

	private final IpcMetrics metrics;

	private volatile boolean running;

	/**
	 * Create the lifecycle.
	 * @param connection the application's connection
	 * @param channels the signal channels
	 * @param watchNames bus names whose owner changes are published
	 * @param beanFactory where to find {@link DBusExport} beans
	 * @param events publishes {@link DBusNameOwnerChangedEvent}s
	 */
	public DBusLifecycle(BusConnection connection, List<DBusSignalChannel> channels, List<String> watchNames,
			ListableBeanFactory beanFactory, Consumer<IpcEvent> events) {
		this(connection, channels, watchNames, beanFactory, events, IpcMetrics.NONE);
	}

	/**
	 * Create the lifecycle.
	 * @param connection the application's connection
	 * @param channels the signal channels
	 * @param watchNames bus names whose owner changes are published
	 * @param beanFactory where to find {@link DBusExport} beans
	 * @param events publishes {@link DBusNameOwnerChangedEvent}s
	 * @param metrics records the calls peers make to exported beans
	 */
	public DBusLifecycle(BusConnection connection, List<DBusSignalChannel> channels, List<String> watchNames,
			ListableBeanFactory beanFactory, Consumer<IpcEvent> events, IpcMetrics metrics) {
		this.metrics = metrics;
		this.connection = connection;
		this.channels = channels;
		this.watchNames = watchNames;
		this.beanFactory = beanFactory;
		this.events = events;
		BusConnectionAccess.meterIncomingCalls(connection, metrics);
		if (connectsAtStart(false)) {
			BusConnectionAccess.prepare(connection);
		}
	}

	private boolean connectsAtStart(boolean exports) {
		DBusSettings settings = this.connection.settings();
		return exports || !this.channels.isEmpty() || !this.watchNames.isEmpty() || settings.serviceName() != null
				|| "private".equals(settings.bus());
	}

	@Override
	public void start() {
		Map<String, Object> exported = this.beanFactory.getBeansWithAnnotation(DBusExport.class);
		exported.forEach((beanName, bean) -> {
			DBusExport export = this.beanFactory.findAnnotationOnBean(beanName, DBusExport.class);
			if (export != null) {
				Object target = (bean instanceof DBusInterface dbus) ? MeteredExport.wrap(dbus, this.metrics) : bean;
				this.connection.export(export.path(), target);
			}
		});
		this.channels.forEach((channel) -> channel.subscribe(this.connection));
		this.watchNames.forEach(this::watch);
		if (connectsAtStart(!exported.isEmpty())) {
			this.connection.connect();
		}
		else {
			logger.debug("Nothing to export or subscribe on D-Bus; connecting on first call");
		}
		this.running = true;
	}

	private void watch(String name) {
		DBusSignalRule rule = new DBusSignalRule(BUS, "NameOwnerChanged", "/org/freedesktop/DBus", BUS,
				Map.of(0, name));
		this.connection.subscribe(rule, (signal) -> this.events
			.accept(new DBusNameOwnerChangedEvent(this.connection, name, owner(signal.arg(1)), owner(signal.arg(2)))));
	}

	private static @Nullable String owner(Object value) {
		String owner = String.valueOf(value);
		return owner.isEmpty() ? null : owner;
	}

	@Override
	public void stop() {
		this.running = false;
		this.connection.close();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

}
