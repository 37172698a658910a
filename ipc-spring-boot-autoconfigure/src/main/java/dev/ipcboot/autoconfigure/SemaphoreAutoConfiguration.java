package dev.ipcboot.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;

/**
 * Auto-configuration of system semaphores ({@code ipc.semaphores}).
 */
@AutoConfiguration(after = IpcListenerAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "ipc.semaphore.enabled", matchIfMissing = true)
public final class SemaphoreAutoConfiguration {

}
