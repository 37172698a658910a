package dev.ipcboot.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Import;

/**
 * Auto-configuration of the D-Bus connection, exported beans and signal channels
 * ({@code ipc.dbus}).
 */
@AutoConfiguration(after = IpcListenerAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "ipc.dbus.enabled", matchIfMissing = true)
@ConditionalOnClass(name = { "org.freedesktop.dbus.connections.impl.DBusConnection",
		"org.freedesktop.dbus.transport.junixsocket.JUnixSocketBusAddress" })
@EnableConfigurationProperties(DBusProperties.class)
@Import(DBusConfiguration.class)
public final class DBusAutoConfiguration {

}
