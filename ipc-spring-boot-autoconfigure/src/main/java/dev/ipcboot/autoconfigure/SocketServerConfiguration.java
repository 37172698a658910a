package dev.ipcboot.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.ip.tcp.connection.TcpNetServerConnectionFactory;

import dev.ipcboot.IpcMetrics;
import dev.ipcboot.IpcResourceSource;
import dev.ipcboot.socket.SocketServer;
import dev.ipcboot.socket.SocketServerStartedEvent;
import dev.ipcboot.socket.SocketServers;

/**
 * Socket servers from {@code ipc.servers}, on Spring Integration IP's connection
 * factories.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(TcpNetServerConnectionFactory.class)
@EnableConfigurationProperties(SocketServerProperties.class)
class SocketServerConfiguration {

	@Bean
	@ConditionalOnMissingBean
	SocketServers ipcSocketServers(SocketServerProperties properties, ObjectProvider<SslBundles> sslBundles,
			ApplicationEventPublisher publisher, ObjectProvider<IpcMetrics> metricsProvider) {
		IpcMetrics metrics = metricsProvider.getIfAvailable(() -> IpcMetrics.NONE);
		List<SocketServer> servers = new ArrayList<>();
		properties.getServers()
			.forEach((name, server) -> servers
				.add(new SocketServer(SocketServerSettingsFactory.create(name, server, sslBundles.getIfAvailable()),
						publisher, metrics)));
		return new SocketServers(servers);
	}

	@Bean
	IpcResourceSource ipcSocketServerResources(SocketServers servers) {
		return () -> List.copyOf(servers.channels());
	}

	@Bean
	static ApplicationListener<SocketServerStartedEvent> ipcServerPortPublisher(
			ConfigurableApplicationContext context) {
		return new ServerPortPropertySource(context.getEnvironment());
	}

}
