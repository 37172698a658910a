package dev.ipcboot.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.thread.Threading;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import dev.ipcboot.IpcConfigurationException;
import dev.ipcboot.socket.internal.SocketEngine;

/**
 * The Netty engine every socket server and subscribing client shares: one per application
 * context, closed with it; only when some entry is a socket ({@code transport: shm} and
 * {@code udp} entries do not use it).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "io.netty.bootstrap.ServerBootstrap")
@Conditional(OnSocketTransportCondition.class)
@EnableConfigurationProperties(SocketEngineProperties.class)
class SocketEngineConfiguration {

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	SocketEngine ipcSocketEngine(SocketEngineProperties properties, Environment environment) {
		if (properties.getWorkerThreads() <= 0) {
			throw new IpcConfigurationException("ipc.socket.worker-threads",
					"must be positive, was " + properties.getWorkerThreads(),
					"Set ipc.socket.worker-threads to how many listener calls may run at once (default 32).");
		}
		return new SocketEngine(properties.getWorkerThreads(), Threading.VIRTUAL.isActive(environment));
	}

}
