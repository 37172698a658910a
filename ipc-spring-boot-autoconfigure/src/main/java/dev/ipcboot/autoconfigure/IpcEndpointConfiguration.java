package dev.ipcboot.autoconfigure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.ipcboot.internal.IpcResourceSource;
import dev.ipcboot.actuate.IpcEndpoint;
import dev.ipcboot.listener.IpcListenerEndpointRegistry;

/**
 * The {@code ipc} endpoint bean.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnAvailableEndpoint(IpcEndpoint.class)
class IpcEndpointConfiguration {

	@Bean
	@ConditionalOnMissingBean
	IpcEndpoint ipcEndpoint(ObjectProvider<IpcListenerEndpointRegistry> registry,
			ObjectProvider<IpcResourceSource> sources) {
		return new IpcEndpoint(registry.getIfAvailable(), IpcResources.from(sources));
	}

}
