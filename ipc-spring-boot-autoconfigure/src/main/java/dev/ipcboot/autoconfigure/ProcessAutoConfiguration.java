package dev.ipcboot.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Import;

/**
 * Auto-configuration of managed processes ({@code ipc.processes}). Needs JNA, through
 * which the starter spawns and reaps its children.
 */
@AutoConfiguration(after = IpcListenerAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "ipc.process.enabled", matchIfMissing = true)
@ConditionalOnClass(name = "com.sun.jna.Native")
@EnableConfigurationProperties(ProcessProperties.class)
@Import(ProcessManagerConfiguration.class)
public final class ProcessAutoConfiguration {

}
