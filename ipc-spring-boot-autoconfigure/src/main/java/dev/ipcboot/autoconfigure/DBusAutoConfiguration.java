package dev.ipcboot.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;

/**
 * Auto-configuration of the D-Bus connection, exported beans and signal channels
 * ({@code ipc.dbus}).
 */
@AutoConfiguration(after = IpcListenerAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "ipc.dbus.enabled", matchIfMissing = true)
public final class DBusAutoConfiguration {

}
