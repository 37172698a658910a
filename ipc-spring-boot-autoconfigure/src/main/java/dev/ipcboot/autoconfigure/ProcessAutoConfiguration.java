package dev.ipcboot.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * Auto-configuration of managed processes ({@code ipc.processes}). With JNA on Linux the
 * starter spawns and reaps its children natively; elsewhere it starts them with
 * {@link ProcessBuilder} and says at INFO what that loses.
 */
@AutoConfiguration(after = IpcListenerAutoConfiguration.class)
@ConditionalOnFacilityEnabled(FacilitySwitch.PROCESSES)
@Import({ ProcessManagerConfiguration.class, ProcessManagerOnDemandConfiguration.class })
public final class ProcessAutoConfiguration {

}
