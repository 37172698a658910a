package dev.ipcboot.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * Auto-configuration of system semaphores ({@code ipc.semaphores}): a
 * {@link dev.ipcboot.semaphore.SystemSemaphoreFactory} and a
 * {@link dev.ipcboot.semaphore.SystemSemaphore} bean per configured semaphore, qualified
 * by its name. Needs JNA.
 */
@AutoConfiguration(after = IpcListenerAutoConfiguration.class)
@ConditionalOnFacilityEnabled(FacilitySwitch.SEMAPHORES)
@ConditionalOnIpcConfigured(value = "ipc.semaphores", requiredClasses = "com.sun.jna.Native")
@Import(SemaphoreConfiguration.class)
public final class SemaphoreAutoConfiguration {

}
