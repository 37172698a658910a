package dev.ipcboot.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Import;

/**
 * Auto-configuration of local and TCP socket servers ({@code ipc.servers}) and clients
 * ({@code ipc.clients}).
 */
@AutoConfiguration(after = IpcListenerAutoConfiguration.class,
		afterName = "org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration")
@ConditionalOnBooleanProperty(name = "ipc.socket.enabled", matchIfMissing = true)
@ConditionalOnIpcConfigured({ "ipc.servers", "ipc.clients" })
@Import({ SocketEngineConfiguration.class, SocketServerConfiguration.class, SocketClientConfiguration.class,
		ShmTransportConfiguration.class, UdpTransportConfiguration.class })
public final class SocketAutoConfiguration {

}
