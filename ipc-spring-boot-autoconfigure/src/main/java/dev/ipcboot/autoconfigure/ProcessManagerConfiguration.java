package dev.ipcboot.autoconfigure;

import java.util.List;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.ConfigurationPropertiesBindHandlerAdvisor;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.boot.thread.Threading;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import dev.ipcboot.IpcMetrics;
import dev.ipcboot.IpcResourceSource;
import dev.ipcboot.IpcThreads;
import dev.ipcboot.process.DefaultProcessManager;
import dev.ipcboot.process.ProcessChannels;
import dev.ipcboot.process.ProcessDefinition;
import dev.ipcboot.process.ProcessManager;

/**
 * The process manager and the channels of the configured processes, when
 * {@code ipc.processes} has entries; both back off when the application defines its own
 * {@link ProcessManager}. Without entries {@link ProcessManagerOnDemandConfiguration}
 * registers a manager that is created only if something injects it.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnIpcConfigured("ipc.processes")
@ConditionalOnMissingBean(ProcessManager.class)
@EnableConfigurationProperties(ProcessProperties.class)
class ProcessManagerConfiguration {

	// ipc.processes.enabled sits among the entries of the map: not an entry
	@Bean
	static ConfigurationPropertiesBindHandlerAdvisor ipcProcessesSwitchBinding() {
		return FacilitySwitch.PROCESSES.bindingAdvisor();
	}

	@Bean
	ConfiguredProcesses ipcConfiguredProcesses(ProcessProperties properties) {
		return new ConfiguredProcesses(ProcessDefinitions.of(properties));
	}

	@Bean
	ProcessChannels processChannels(ConfiguredProcesses processes) {
		return new ProcessChannels(processes.definitions());
	}

	@Bean
	DefaultProcessManager processManager(ConfiguredProcesses processes, ProcessChannels processChannels,
			ApplicationEventPublisher publisher, ObjectProvider<IpcMetrics> metrics, Environment environment) {
		return new DefaultProcessManager(processes.definitions(), processChannels, publisher,
				metrics.getIfAvailable(() -> IpcMetrics.NONE), IpcThreads.of(Threading.VIRTUAL.isActive(environment)));
	}

	@Bean
	IpcResourceSource ipcProcessResources(DefaultProcessManager processManager) {
		return processManager::resources;
	}

	/**
	 * The definitions of {@code ipc.processes}, checked once for the channels and the
	 * manager.
	 *
	 * @param definitions one per entry, in the order configured
	 */
	record ConfiguredProcesses(List<ProcessDefinition> definitions) {

	}

}
