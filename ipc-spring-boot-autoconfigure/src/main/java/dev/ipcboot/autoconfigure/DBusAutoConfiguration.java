package dev.ipcboot.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Import;

/**
 * Auto-configuration of the D-Bus connection, exported beans and signal channels
 * ({@code ipc.dbus}), when the application configures something there (if only
 * {@code ipc.dbus.bus}) or exports a bean with {@link dev.ipcboot.dbus.DBusExport};
 * otherwise it registers nothing and loads no class of dbus-java.
 */
@AutoConfiguration(after = IpcListenerAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "ipc.dbus.enabled", matchIfMissing = true)
@Import(DBusConfiguration.class)
public final class DBusAutoConfiguration {

}
