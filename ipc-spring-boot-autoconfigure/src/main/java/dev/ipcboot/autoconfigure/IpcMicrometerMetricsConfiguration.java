package dev.ipcboot.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.ipcboot.internal.IpcMetrics;
import dev.ipcboot.internal.metrics.InvocationInstrumentation;
import dev.ipcboot.internal.metrics.IpcObservationInstrumentation;
import dev.ipcboot.internal.metrics.MicrometerIpcMetrics;
import dev.ipcboot.observation.IpcClientObservationConvention;
import dev.ipcboot.observation.IpcListenerObservationConvention;

/**
 * Metrics in the application's {@link MeterRegistry}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(MeterRegistry.class)
class IpcMicrometerMetricsConfiguration {

	@Bean
	@ConditionalOnMissingBean(IpcMetrics.class)
	MicrometerIpcMetrics ipcMetrics(MeterRegistry registry, ObjectProvider<InvocationInstrumentation> instrumentation) {
		return new MicrometerIpcMetrics(registry, instrumentation.getIfAvailable());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ObservationRegistry.class)
	@ConditionalOnBean(ObservationRegistry.class)
	@ConditionalOnBooleanProperty("ipc.observation.enabled")
	static class IpcObservationConfiguration {

		@Bean
		@ConditionalOnMissingBean(InvocationInstrumentation.class)
		IpcObservationInstrumentation ipcObservationInstrumentation(ObservationRegistry registry,
				ObjectProvider<IpcListenerObservationConvention> listenerConvention,
				ObjectProvider<IpcClientObservationConvention> clientConvention) {
			return new IpcObservationInstrumentation(registry, listenerConvention.getIfUnique(),
					clientConvention.getIfUnique());
		}

	}

}
