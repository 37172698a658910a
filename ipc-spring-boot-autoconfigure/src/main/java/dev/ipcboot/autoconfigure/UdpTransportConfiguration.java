package dev.ipcboot.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.messaging.converter.MessageConverter;

import dev.ipcboot.internal.IpcMetrics;
import dev.ipcboot.internal.IpcResourceSource;
import dev.ipcboot.socket.udp.UdpClientSettings;
import dev.ipcboot.socket.udp.UdpServerSettings;
import dev.ipcboot.socket.udp.internal.UdpIpcClient;
import dev.ipcboot.socket.udp.internal.UdpServer;
import dev.ipcboot.socket.udp.internal.UdpServers;

/**
 * {@code transport: udp} servers and clients (ADR 0016): the lifecycle of the servers and
 * the factory of the clients that {@link SocketServerRegistrar} and
 * {@link SocketClientRegistrar} register under the entries' names. Only created when an
 * entry asks for it, so an application without one loads no UDP class.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(OnUdpTransportCondition.class)
@EnableConfigurationProperties({ SocketServerProperties.class, SocketClientProperties.class })
class UdpTransportConfiguration {

	@Bean
	UdpServers ipcUdpServers(SocketServerProperties properties, ApplicationContext context,
			ObjectProvider<IpcMetrics> metrics, ObjectProvider<UdpServerCustomizer> customizers,
			@Qualifier(IpcListenerAutoConfiguration.MESSAGE_CONVERTER_BEAN_NAME) ObjectProvider<MessageConverter> converters) {
		MessageConverter converter = converters.getIfAvailable(() -> IpcMessageConverters.create(context));
		List<UdpServer> servers = new ArrayList<>();
		properties.getServers().forEach((name, server) -> {
			if (server.getTransport() == SocketServerProperties.Transport.UDP) {
				UdpServerSettings settings = UdpSettingsFactory.server(name, server, context.getClassLoader());
				settings = SettingsCustomizers.apply(settings.property(), settings.toBuilder(), customizers,
						UdpServerCustomizer::customize, UdpServerSettings.Builder::build);
				servers.add(new UdpServer(settings, converter, context, metrics.getIfAvailable(() -> IpcMetrics.NONE)));
			}
		});
		return new UdpServers(servers, SocketServerConfiguration.shutdownTimeout(context.getEnvironment()));
	}

	@Bean
	IpcResourceSource ipcUdpServerResources(UdpServers servers) {
		return () -> List.copyOf(servers.channels());
	}

	@Bean
	IpcResourceSource ipcUdpClientResources(UdpClientFactory factory) {
		return factory::created;
	}

	@Bean
	UdpClientFactory ipcUdpClientFactory(SocketClientProperties properties, ApplicationContext context,
			ObjectProvider<UdpClientCustomizer> customizers,
			@Qualifier(IpcListenerAutoConfiguration.MESSAGE_CONVERTER_BEAN_NAME) ObjectProvider<MessageConverter> converters) {
		return new UdpClientFactory(properties, converters.getIfAvailable(() -> IpcMessageConverters.create(context)),
				context.getClassLoader(), customizers);
	}

	/** Creates the {@code transport: udp} clients of {@code ipc.clients}. */
	static final class UdpClientFactory {

		private final SocketClientProperties properties;

		private final MessageConverter converter;

		private final Map<String, UdpIpcClient> created = new ConcurrentHashMap<>();

		private final @Nullable ClassLoader classLoader;

		private final ObjectProvider<UdpClientCustomizer> customizers;

		UdpClientFactory(SocketClientProperties properties, MessageConverter converter,
				@Nullable ClassLoader classLoader, ObjectProvider<UdpClientCustomizer> customizers) {
			this.properties = properties;
			this.converter = converter;
			this.classLoader = classLoader;
			this.customizers = customizers;
		}

		List<UdpIpcClient> created() {
			return List.copyOf(this.created.values());
		}

		UdpIpcClient create(String name) {
			SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("ipc-client-" + name + "-async-");
			return this.created.computeIfAbsent(name,
					(key) -> new UdpIpcClient(settings(name), this.converter, executor));
		}

		/** The entry's settings from the properties, through the customizer beans. */
		private UdpClientSettings settings(String name) {
			UdpClientSettings settings = UdpSettingsFactory.client(name, this.properties.getClients().get(name),
					this.classLoader);
			return SettingsCustomizers.apply(settings.property(), settings.toBuilder(), this.customizers,
					UdpClientCustomizer::customize, UdpClientSettings.Builder::build);
		}

	}

}
