package dev.ipcboot.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Import;

/**
 * Auto-configuration of the {@link dev.ipcboot.internal.IpcMetrics} bean that facilities
 * record into: backed by Micrometer (with observations when
 * {@code ipc.observation.enabled}) when a {@code MeterRegistry} exists,
 * {@link dev.ipcboot.internal.IpcMetrics#NONE} otherwise.
 */
@AutoConfiguration(afterName = {
		"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
		"org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration" })
@EnableConfigurationProperties(IpcObservationProperties.class)
@Import({ IpcMicrometerMetricsConfiguration.class, IpcNoOpMetricsConfiguration.class })
@ConditionalOnIpcUsed
public final class IpcMetricsAutoConfiguration {

}
