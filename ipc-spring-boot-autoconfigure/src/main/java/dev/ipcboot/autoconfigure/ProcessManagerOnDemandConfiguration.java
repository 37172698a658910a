package dev.ipcboot.autoconfigure;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.thread.Threading;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.env.Environment;

import dev.ipcboot.internal.IpcMetrics;
import dev.ipcboot.internal.IpcResource;
import dev.ipcboot.internal.IpcResourceSource;
import dev.ipcboot.IpcThreads;
import dev.ipcboot.process.DefaultProcessManager;
import dev.ipcboot.process.ProcessManager;
import dev.ipcboot.process.internal.ProcessMachinery;

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

	static final String BEAN_NAME = "ipcProcessManager";

	/** The name before the {@code ipc} prefix (ADR 0017), an alias until 1.0. */
	static final String DEPRECATED_BEAN_NAME = "processManager";

	@Bean
	OnDemandProcessManager ipcOnDemandProcessManager() {
		return new OnDemandProcessManager();
	}

	@Bean({ BEAN_NAME, DEPRECATED_BEAN_NAME })
	@Lazy
	ProcessManager ipcProcessManager(OnDemandProcessManager created, ApplicationEventPublisher publisher,
			ObjectProvider<IpcMetrics> metrics, Environment environment) {
		DefaultProcessManager manager = ProcessMachinery.manager(List.of(), ProcessMachinery.channels(List.of()),
				publisher, metrics.getIfAvailable(() -> IpcMetrics.NONE),
				IpcThreads.of(Threading.VIRTUAL.isActive(environment)));
		// the context started its lifecycle beans before (or while) this one was asked
		// for
		manager.start();
		created.manager = manager;
		return manager;
	}

	@Bean
	IpcResourceSource ipcProcessResources(OnDemandProcessManager created) {
		return created::resources;
	}

	/**
	 * The lazy manager once something asked for it, so that reporting its resources does
	 * not create it (nor look it up by name).
	 */
	static final class OnDemandProcessManager {

		private volatile @Nullable DefaultProcessManager manager;

		List<IpcResource> resources() {
			DefaultProcessManager created = this.manager;
			return (created != null) ? ProcessMachinery.resources(created) : List.of();
		}

	}

}
