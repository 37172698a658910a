package dev.ipcboot.autoconfigure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.ConfigurationPropertiesBindHandlerAdvisor;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import dev.ipcboot.internal.IpcMetrics;
import dev.ipcboot.internal.IpcResourceSource;
import dev.ipcboot.semaphore.SystemSemaphoreFactory;
import dev.ipcboot.semaphore.internal.SemaphoreAccess;

/**
 * The semaphore factory and a bean per configured semaphore.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SemaphoreProperties.class)
@Import(SemaphoreBeanRegistrar.class)
class SemaphoreConfiguration {

	// ipc.semaphores.enabled sits among the entries of the map: not an entry
	@Bean
	static ConfigurationPropertiesBindHandlerAdvisor ipcSemaphoresSwitchBinding() {
		return FacilitySwitch.SEMAPHORES.bindingAdvisor();
	}

	@Bean(name = { "ipcSystemSemaphoreFactory", "systemSemaphoreFactory" }, destroyMethod = "close")
	@ConditionalOnMissingBean
	SystemSemaphoreFactory ipcSystemSemaphoreFactory(ObjectProvider<IpcMetrics> metrics) {
		return SemaphoreAccess.factory(metrics.getIfAvailable(() -> IpcMetrics.NONE));
	}

	@Bean
	IpcResourceSource ipcSemaphoreResources(SystemSemaphoreFactory factory) {
		return () -> SemaphoreAccess.resources(factory);
	}

}
