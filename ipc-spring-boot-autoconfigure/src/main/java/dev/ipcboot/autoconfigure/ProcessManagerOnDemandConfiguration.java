package dev.ipcboot.autoconfigure;

import java.util.List;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.thread.Threading;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.env.Environment;

import dev.ipcboot.IpcMetrics;
import dev.ipcboot.IpcResourceSource;
import dev.ipcboot.IpcThreads;
import dev.ipcboot.process.DefaultProcessManager;
import dev.ipcboot.process.ProcessChannels;
import dev.ipcboot.process.ProcessManager;

/**
 * The process manager of an application that configures no process: a lazy bean, declared
 * as {@link ProcessManager} (not as a lifecycle bean, which the context would create to
 * start it), so that nothing of it is created, no native library loaded and no thread
 * started unless the application injects it for ad-hoc processes. It is started when it
 * is created and stops its children when the context closes, like the configured one.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnMissingBean(ProcessManager.class)
class ProcessManagerOnDemandConfiguration {

	static final String BEAN_NAME = "processManager";

	@Bean(BEAN_NAME)
	@Lazy
	ProcessManager processManager(ApplicationEventPublisher publisher, ObjectProvider<IpcMetrics> metrics,
			Environment environment) {
		DefaultProcessManager manager = new DefaultProcessManager(List.of(), new ProcessChannels(List.of()), publisher,
				metrics.getIfAvailable(() -> IpcMetrics.NONE), IpcThreads.of(Threading.VIRTUAL.isActive(environment)));
		// the context started its lifecycle beans before (or while) this one was asked
		// for
		manager.start();
		return manager;
	}

	@Bean
	IpcResourceSource ipcProcessResources(ConfigurableListableBeanFactory beanFactory) {
		return () -> beanFactory.containsSingleton(BEAN_NAME)
				? ((DefaultProcessManager) beanFactory.getBean(BEAN_NAME)).resources() : List.of();
	}

}
