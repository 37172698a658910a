package dev.ipcboot.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.util.StringUtils;

import dev.ipcboot.internal.IpcMetrics;
import dev.ipcboot.internal.IpcResourceSource;
import dev.ipcboot.socket.ServerBinding;
import dev.ipcboot.socket.internal.SocketEngine;
import dev.ipcboot.socket.internal.SocketServer;
import dev.ipcboot.socket.SocketServerSettings;
import dev.ipcboot.socket.SocketServerStartedEvent;
import dev.ipcboot.socket.internal.SocketServers;

/**
 * Socket servers from {@code ipc.servers}, on the application's {@link SocketEngine}, and
 * one {@link dev.ipcboot.socket.IpcServer} bean per server. Each server's settings pass
 * through the {@link SocketServerCustomizer} beans before it binds.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnIpcConfigured(value = "ipc.servers", requiredClasses = "io.netty.bootstrap.ServerBootstrap")
@EnableConfigurationProperties(SocketServerProperties.class)
@Import(SocketServerRegistrar.class)
class SocketServerConfiguration {

	@Bean
	@ConditionalOnMissingBean
	SocketServers ipcSocketServers(SocketServerProperties properties, ObjectProvider<SslBundles> sslBundles,
			ObjectProvider<SocketEngine> engine, ApplicationContext context, ObjectProvider<IpcMetrics> metricsProvider,
			ObjectProvider<SocketServerCustomizer> customizers,
			@Qualifier(IpcListenerAutoConfiguration.MESSAGE_CONVERTER_BEAN_NAME) ObjectProvider<MessageConverter> converters) {
		IpcMetrics metrics = metricsProvider.getIfAvailable(() -> IpcMetrics.NONE);
		MessageConverter converter = converters.getIfAvailable(() -> IpcMessageConverters.create(context));
		List<SocketServer> servers = new ArrayList<>();
		SslBundles bundles = sslBundles.getIfAvailable();
		properties.getServers().forEach((name, server) -> {
			if (server.getTransport() == SocketServerProperties.Transport.SHM
					|| server.getTransport() == SocketServerProperties.Transport.UDP) {
				return;
			}
			SocketServerSettings settings = SocketServerSettingsFactory.create(name, server, bundles);
			settings = SettingsCustomizers.apply(settings.property(), settings.toBuilder(), customizers,
					SocketServerCustomizer::customize, SocketServerSettings.Builder::build);
			SocketServer socketServer = new SocketServer(settings, engine.getObject(), converter, context, metrics);
			servers.add(socketServer);
			if (bundles != null && StringUtils.hasText(server.getSslBundle())
					&& socketServer.settings().binding() instanceof ServerBinding.Tcp) {
				// spring.ssl.bundle.*.reload-on-update: new connections use the rotated
				// store
				bundles.addBundleUpdateHandler(server.getSslBundle(),
						(bundle) -> socketServer.sslContextUpdated(bundle.createSslContext()));
			}
		});
		return new SocketServers(servers, shutdownTimeout(context.getEnvironment()));
	}

	/** Boot's {@code spring.lifecycle.timeout-per-shutdown-phase}, 30s by default. */
	static Duration shutdownTimeout(Environment environment) {
		return Binder.get(environment)
			.bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class)
			.orElse(Duration.ofSeconds(30));
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
