package dev.ipcboot.autoconfigure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.ConfigurationPropertiesBindHandlerAdvisor;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import dev.ipcboot.internal.IpcMetrics;
import dev.ipcboot.internal.IpcResourceSource;
import dev.ipcboot.shm.SharedMemoryFactory;
import dev.ipcboot.shm.internal.SharedMemoryAccess;

/**
 * The segment factory and a bean per configured segment.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SharedMemoryProperties.class)
@Import(SharedMemoryBeanRegistrar.class)
class SharedMemoryConfiguration {

	// ipc.shared-memory.enabled sits among the entries of the map: not an entry
	@Bean
	static ConfigurationPropertiesBindHandlerAdvisor ipcSharedMemorySwitchBinding() {
		return FacilitySwitch.SHARED_MEMORY.bindingAdvisor();
	}

	@Bean(name = { "ipcSharedMemoryFactory", "sharedMemoryFactory" }, destroyMethod = "close")
	@ConditionalOnMissingBean
	SharedMemoryFactory ipcSharedMemoryFactory(ApplicationEventPublisher publisher,
			ObjectProvider<IpcMetrics> metrics) {
		return SharedMemoryAccess.factory(publisher, metrics.getIfAvailable(() -> IpcMetrics.NONE));
	}

	@Bean
	IpcResourceSource ipcSharedMemoryResources(SharedMemoryFactory factory) {
		return () -> SharedMemoryAccess.resources(factory);
	}

}
