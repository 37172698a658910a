package dev.ipcboot.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;

/**
 * Auto-configuration of local and TCP socket servers ({@code ipc.servers}) and clients
 * ({@code ipc.clients}).
 */
@AutoConfiguration(after = IpcListenerAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "ipc.socket.enabled", matchIfMissing = true)
public final class SocketAutoConfiguration {

}
