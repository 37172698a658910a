package dev.ipcboot.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Import;

/**
 * Auto-configuration of the D-Bus connection, exported beans and signal channels
 * ({@code ipc.dbus}), when the application configures something there (if only
 * {@code ipc.dbus.bus}) or exports a bean with {@link dev.ipcboot.dbus.DBusExport};
 * otherwise it registers nothing and loads no class of dbus-java.
 */
@AutoConfiguration(after = IpcListenerAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "ipc.dbus.enabled", matchIfMissing = true)
// on the auto-configuration too, so that an application without D-Bus gets not even its
// bean (ADR 0011)
@Conditional(OnDBusUsedCondition.class)
@Import(DBusConfiguration.class)
public final class DBusAutoConfiguration {

}
