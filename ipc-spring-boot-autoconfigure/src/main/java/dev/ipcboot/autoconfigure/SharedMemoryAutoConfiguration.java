package dev.ipcboot.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * Auto-configuration of shared memory segments ({@code ipc.shared-memory}): a
 * {@link dev.ipcboot.shm.SharedMemoryFactory} and a {@link dev.ipcboot.shm.SharedMemory}
 * bean per configured segment, qualified by its name. Needs JNA.
 */
@AutoConfiguration(after = IpcListenerAutoConfiguration.class)
@ConditionalOnFacilityEnabled(FacilitySwitch.SHARED_MEMORY)
@ConditionalOnIpcConfigured(value = "ipc.shared-memory", requiredClasses = "com.sun.jna.Native")
@Import(SharedMemoryConfiguration.class)
public final class SharedMemoryAutoConfiguration {

}
