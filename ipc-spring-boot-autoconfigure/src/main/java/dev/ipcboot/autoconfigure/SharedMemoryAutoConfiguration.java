package dev.ipcboot.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;

/**
 * Auto-configuration of shared memory segments ({@code ipc.shared-memory}).
 */
@AutoConfiguration(after = IpcListenerAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "ipc.shm.enabled", matchIfMissing = true)
public final class SharedMemoryAutoConfiguration {

}
