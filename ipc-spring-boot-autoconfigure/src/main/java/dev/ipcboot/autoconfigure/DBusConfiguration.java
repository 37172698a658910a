package dev.ipcboot.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.boot.thread.Threading;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.StringUtils;

import dev.ipcboot.IpcConfigurationException;
import dev.ipcboot.IpcThreads;
import dev.ipcboot.dbus.BusConnection;
import dev.ipcboot.dbus.DBusCallContext;
import dev.ipcboot.dbus.DBusSettings;
import dev.ipcboot.dbus.DBusSignalRule;
import dev.ipcboot.dbus.DBusTemplate;
import dev.ipcboot.dbus.internal.BusConnectionAccess;
import dev.ipcboot.dbus.internal.DBusConnectionResource;
import dev.ipcboot.dbus.internal.DBusLifecycle;
import dev.ipcboot.dbus.internal.DBusSignalChannel;
import dev.ipcboot.internal.IpcMetrics;
import dev.ipcboot.internal.IpcResourceSource;
import dev.ipcboot.listener.IpcChannelSource;

/**
 * The application's bus connection, its template, its signal channels and the lifecycle
 * that connects them, from {@link DBusProperties}, when the application configures
 * {@code ipc.dbus} or exports a bean.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(OnDBusUsedCondition.class)
@EnableConfigurationProperties(DBusProperties.class)
class DBusConfiguration {

	static final String PROPERTY = "ipc.dbus";

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	BusConnection ipcBusConnection(DBusProperties properties, ApplicationEventPublisher publisher,
			Environment environment, ObjectProvider<BusConnectionCustomizer> customizers) {
		DBusProperties.Reconnect reconnect = properties.getReconnect();
		if (properties.getCallTimeout().isNegative() || properties.getCallTimeout().isZero()) {
			throw new IpcConfigurationException(PROPERTY + ".call-timeout",
					"must be positive but is " + properties.getCallTimeout(), "Set a positive duration such as 5s.");
		}
		DBusSettings settings = new DBusSettings("dbus", PROPERTY, properties.getBus(),
				StringUtils.hasText(properties.getServiceName()) ? properties.getServiceName() : null,
				properties.getCallTimeout(), reconnect.isEnabled(), reconnect.getInitialBackoff(),
				reconnect.getMaxBackoff(), properties.isAutoStart(),
				IpcThreads.of(Threading.VIRTUAL.isActive(environment)));
		BusConnection connection = new BusConnection(settings, publisher::publishEvent);
		customizers.orderedStream().forEach((customizer) -> customizer.customize(connection));
		return connection;
	}

	@Bean
	@ConditionalOnMissingBean
	DBusTemplate ipcDBusTemplate(BusConnection connection, ObjectProvider<IpcMetrics> metrics) {
		return BusConnectionAccess.template(connection, metrics.getIfAvailable(() -> IpcMetrics.NONE));
	}

	@Bean
	@ConditionalOnMissingBean
	DBusCallContext ipcDBusCallContext() {
		return new DBusCallContext();
	}

	@Bean
	DBusSignalChannels ipcDBusSignalChannels(DBusProperties properties, ApplicationEventPublisher publisher,
			ObjectProvider<IpcMetrics> metricsProvider) {
		IpcMetrics metrics = metricsProvider.getIfAvailable(() -> IpcMetrics.NONE);
		List<DBusSignalChannel> channels = new ArrayList<>();
		for (Map.Entry<String, DBusProperties.Signal> entry : properties.getSignals().entrySet()) {
			channels.add(new DBusSignalChannel(entry.getKey(), rule(entry.getKey(), entry.getValue()),
					publisher::publishEvent, metrics));
		}
		return new DBusSignalChannels(List.copyOf(channels));
	}

	@Bean
	DBusLifecycle ipcDBusLifecycle(BusConnection connection, DBusSignalChannels channels, DBusProperties properties,
			ListableBeanFactory beanFactory, ApplicationEventPublisher publisher, ObjectProvider<IpcMetrics> metrics) {
		return new DBusLifecycle(connection, channels.channels(), List.copyOf(properties.getWatchNames()), beanFactory,
				publisher::publishEvent, metrics.getIfAvailable(() -> IpcMetrics.NONE));
	}

	@Bean({ "ipcDBusConnectionResource", "dbusConnectionResource" })
	DBusConnectionResource ipcDBusConnectionResource(BusConnection connection) {
		return new DBusConnectionResource(connection);
	}

	@Bean({ "ipcDBusResources", "dbusResources" })
	IpcResourceSource ipcDBusResources(BusConnection connection, DBusConnectionResource resource) {
		// an application that never touches the bus should not see a D-Bus entry in its
		// health
		return () -> (connection.state() == BusConnection.State.NOT_CONNECTED) ? List.of() : List.of(resource);
	}

	private static DBusSignalRule rule(String name, DBusProperties.Signal signal) {
		String property = PROPERTY + ".signals." + name;
		if (!StringUtils.hasText(signal.getInterface())) {
			throw new IpcConfigurationException(property + ".interface", "is missing",
					"Set the interface of the signal, for example org.freedesktop.login1.Manager.");
		}
		if (!StringUtils.hasText(signal.getMember())) {
			throw new IpcConfigurationException(property + ".member", "is missing",
					"Set the name of the signal, for example PrepareForShutdown.");
		}
		for (Integer index : signal.getArgs().keySet()) {
			if (index < 0 || index > 63) {
				throw new IpcConfigurationException(property + ".args." + index, "argument index out of range",
						"Use argument indexes from 0 to 63.");
			}
		}
		return new DBusSignalRule(signal.getInterface(), signal.getMember(), signal.getPath(), signal.getSender(),
				signal.getArgs());
	}

	/** The signal channels, as the facility's channel source. */
	record DBusSignalChannels(List<DBusSignalChannel> channels) implements IpcChannelSource {

	}

}
