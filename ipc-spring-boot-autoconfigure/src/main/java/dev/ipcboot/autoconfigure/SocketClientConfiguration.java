package dev.ipcboot.autoconfigure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.messaging.converter.MessageConverter;

import dev.ipcboot.internal.IpcMetrics;
import dev.ipcboot.internal.IpcResourceSource;
import dev.ipcboot.listener.IpcChannel;
import dev.ipcboot.listener.IpcChannelSource;

/**
 * Socket clients: one {@link dev.ipcboot.socket.IpcClient} bean per {@code ipc.clients}
 * entry. Framing comes from Spring Integration's serializers, so the clients need it on
 * the class path like the servers do.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnIpcConfigured(value = "ipc.clients",
		requiredClasses = "org.springframework.integration.ip.tcp.serializer.AbstractByteArraySerializer")
@EnableConfigurationProperties(SocketClientProperties.class)
@Import(SocketClientRegistrar.class)
class SocketClientConfiguration {

	@Bean
	SocketClientFactory ipcSocketClientFactory(SocketClientProperties properties, ObjectProvider<SslBundles> sslBundles,
			ApplicationContext context, ObjectProvider<IpcMetrics> metrics,
			@Qualifier(IpcListenerAutoConfiguration.MESSAGE_CONVERTER_BEAN_NAME) ObjectProvider<MessageConverter> converters,
			ObjectProvider<IpcClientCustomizer> customizers) {
		MessageConverter converter = converters.getIfAvailable(() -> IpcMessageConverters.create(context));
		return new SocketClientFactory(properties, sslBundles, converter, context,
				metrics.getIfAvailable(() -> IpcMetrics.NONE),
				(context instanceof ConfigurableApplicationContext configurable) ? configurable.getBeanFactory() : null,
				customizers);
	}

	@Bean
	IpcResourceSource ipcSocketClientResources(SocketClientFactory factory) {
		return factory::created;
	}

	/**
	 * Clients with {@code subscribe: true} are channels: {@code @IpcListener("<client
	 * name>")} receives what their server pushes.
	 */
	@Bean
	IpcChannelSource ipcSocketClientChannels(@SubscribingClient ObjectProvider<IpcChannel> clients) {
		return () -> clients.stream().toList();
	}

}
