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
import dev.ipcboot.socket.shm.ShmClientSettings;
import dev.ipcboot.socket.shm.ShmServerSettings;
import dev.ipcboot.socket.shm.internal.ShmIpcClient;
import dev.ipcboot.socket.shm.internal.ShmServer;
import dev.ipcboot.socket.shm.internal.ShmServers;

/**
 * {@code transport: shm} servers and clients (ADR 0012): the lifecycle of the servers and
 * the factory of the clients that {@link SocketServerRegistrar} and
 * {@link SocketClientRegistrar} register under the entries' names. Only created when an
 * entry asks for it, so an application without one loads no class of Agrona.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(OnShmTransportCondition.class)
@EnableConfigurationProperties({ SocketServerProperties.class, SocketClientProperties.class })
class ShmTransportConfiguration {

	@Bean
	ShmServers ipcShmServers(SocketServerProperties properties, ApplicationContext context,
			ObjectProvider<IpcMetrics> metrics, ObjectProvider<ShmServerCustomizer> customizers,
			@Qualifier(IpcListenerAutoConfiguration.MESSAGE_CONVERTER_BEAN_NAME) ObjectProvider<MessageConverter> converters) {
		MessageConverter converter = converters.getIfAvailable(() -> IpcMessageConverters.create(context));
		List<ShmServer> servers = new ArrayList<>();
		properties.getServers().forEach((name, server) -> {
			if (server.getTransport() == SocketServerProperties.Transport.SHM) {
				ShmServerSettings settings = ShmSettingsFactory.server(name, server, context.getClassLoader());
				settings = SettingsCustomizers.apply(settings.property(), settings.toBuilder(), customizers,
						ShmServerCustomizer::customize, ShmServerSettings.Builder::build);
				servers.add(new ShmServer(settings, converter, context, metrics.getIfAvailable(() -> IpcMetrics.NONE)));
			}
		});
		return new ShmServers(servers, SocketServerConfiguration.shutdownTimeout(context.getEnvironment()));
	}

	@Bean
	IpcResourceSource ipcShmServerResources(ShmServers servers) {
		return () -> List.copyOf(servers.channels());
	}

	@Bean
	IpcResourceSource ipcShmClientResources(ShmClientFactory factory) {
		return factory::created;
	}

	@Bean
	ShmClientFactory ipcShmClientFactory(SocketClientProperties properties, ApplicationContext context,
			ObjectProvider<ShmClientCustomizer> customizers,
			@Qualifier(IpcListenerAutoConfiguration.MESSAGE_CONVERTER_BEAN_NAME) ObjectProvider<MessageConverter> converters) {
		return new ShmClientFactory(properties, converters.getIfAvailable(() -> IpcMessageConverters.create(context)),
				context.getClassLoader(), customizers);
	}

	/** Creates the {@code transport: shm} clients of {@code ipc.clients}. */
	static final class ShmClientFactory {

		private final SocketClientProperties properties;

		private final MessageConverter converter;

		private final Map<String, ShmIpcClient> created = new ConcurrentHashMap<>();

		private final @Nullable ClassLoader classLoader;

		private final ObjectProvider<ShmClientCustomizer> customizers;

		ShmClientFactory(SocketClientProperties properties, MessageConverter converter,
				@Nullable ClassLoader classLoader, ObjectProvider<ShmClientCustomizer> customizers) {
			this.properties = properties;
			this.converter = converter;
			this.classLoader = classLoader;
			this.customizers = customizers;
		}

		List<ShmIpcClient> created() {
			return List.copyOf(this.created.values());
		}

		ShmIpcClient create(String name) {
			SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("ipc-client-" + name + "-async-");
			return this.created.computeIfAbsent(name,
					(key) -> new ShmIpcClient(settings(name), this.converter, executor));
		}

		/** The entry's settings from the properties, through the customizer beans. */
		private ShmClientSettings settings(String name) {
			ShmClientSettings settings = ShmSettingsFactory.client(name, this.properties.getClients().get(name),
					this.classLoader);
			return SettingsCustomizers.apply(settings.property(), settings.toBuilder(), this.customizers,
					ShmClientCustomizer::customize, ShmClientSettings.Builder::build);
		}

	}

}
