package dev.ipcboot.autoconfigure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.ipcboot.internal.IpcResourceSource;
import dev.ipcboot.health.IpcHealthContributor;

/**
 * The {@code ipc} health contributor (the bean name minus its suffix is its name in
 * health).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnEnabledHealthIndicator("ipc")
class IpcHealthContributorConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "ipcHealthContributor")
	IpcHealthContributor ipcHealthContributor(ObjectProvider<IpcResourceSource> sources) {
		return new IpcHealthContributor(IpcResources.from(sources));
	}

}
