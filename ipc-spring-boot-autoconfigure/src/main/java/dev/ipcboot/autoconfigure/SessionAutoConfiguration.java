package dev.ipcboot.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Import;

/**
 * Auto-configuration of session lifecycle events, logind inhibitor locks and systemd
 * notification ({@code ipc.session}); registered only when asked for: a listener of a
 * session event, {@code NOTIFY_SOCKET} or an {@code ipc.session} property
 * ({@link ConditionalOnIpcUsed}).
 */
@AutoConfiguration(after = IpcListenerAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "ipc.session.enabled", matchIfMissing = true)
@EnableConfigurationProperties(SessionProperties.class)
@Import({ SessionEventsConfiguration.class, SessionSystemdConfiguration.class, SessionLogindConfiguration.class })
@ConditionalOnIpcUsed(session = true)
public final class SessionAutoConfiguration {

}
