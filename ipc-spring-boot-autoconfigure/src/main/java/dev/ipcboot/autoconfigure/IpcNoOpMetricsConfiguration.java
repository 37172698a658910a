package dev.ipcboot.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.ipcboot.internal.IpcMetrics;

/**
 * No metrics: Micrometer is absent or the application has no {@code MeterRegistry}.
 */
@Configuration(proxyBeanMethods = false)
class IpcNoOpMetricsConfiguration {

	@Bean
	@ConditionalOnMissingBean
	IpcMetrics ipcMetrics() {
		return IpcMetrics.NONE;
	}

}
