package dev.ipcboot.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;

/**
 * Auto-configuration of session lifecycle events, logind inhibitor locks and systemd
 * notification ({@code ipc.session}).
 */
@AutoConfiguration(after = IpcListenerAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "ipc.session.enabled", matchIfMissing = true)
public final class SessionAutoConfiguration {

}
