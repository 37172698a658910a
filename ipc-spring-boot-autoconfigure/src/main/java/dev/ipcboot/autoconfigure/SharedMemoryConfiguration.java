package dev.ipcboot.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import dev.ipcboot.shm.SharedMemoryFactory;

/**
 * The segment factory and a bean per configured segment.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SharedMemoryProperties.class)
@Import(SharedMemoryBeanRegistrar.class)
class SharedMemoryConfiguration {

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	SharedMemoryFactory sharedMemoryFactory(ApplicationEventPublisher publisher) {
		return new SharedMemoryFactory(publisher);
	}

}
