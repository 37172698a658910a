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

import dev.ipcboot.internal.IpcMetrics;
import dev.ipcboot.internal.IpcResourceSource;
import dev.ipcboot.IpcThreads;
import dev.ipcboot.listener.IpcChannelSource;
import dev.ipcboot.process.DefaultProcessManager;
import dev.ipcboot.process.ProcessManager;
import dev.ipcboot.process.internal.ProcessDefinition;
import dev.ipcboot.process.internal.ProcessMachinery;

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
		List<ProcessDefinition> definitions = ProcessDefinitions.of(properties);
		return new ConfiguredProcesses(definitions, ProcessMachinery.channels(definitions));
	}

	@Bean({ "ipcProcessChannels", "processChannels" })
	IpcChannelSource ipcProcessChannels(ConfiguredProcesses processes) {
		return processes.channels();
	}

	@Bean({ ProcessManagerOnDemandConfiguration.BEAN_NAME, ProcessManagerOnDemandConfiguration.DEPRECATED_BEAN_NAME })
	DefaultProcessManager ipcProcessManager(ConfiguredProcesses processes, ApplicationEventPublisher publisher,
			ObjectProvider<IpcMetrics> metrics, Environment environment) {
		return ProcessMachinery.manager(processes.definitions(), processes.channels(), publisher,
				metrics.getIfAvailable(() -> IpcMetrics.NONE), IpcThreads.of(Threading.VIRTUAL.isActive(environment)));
	}

	@Bean
	IpcResourceSource ipcProcessResources(DefaultProcessManager processManager) {
		return () -> ProcessMachinery.resources(processManager);
	}

	/**
	 * The definitions of {@code ipc.processes}, checked once for the channels and the
	 * manager.
	 *
	 * @param definitions one per entry, in the order configured
	 * @param channels their channels
	 */
	record ConfiguredProcesses(List<ProcessDefinition> definitions, IpcChannelSource channels) {

	}

}
