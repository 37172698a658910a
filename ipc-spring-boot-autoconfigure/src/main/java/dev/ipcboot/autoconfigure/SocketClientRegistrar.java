package dev.ipcboot.autoconfigure;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.aot.AbstractAotProcessor;
import org.springframework.core.type.AnnotationMetadata;

import dev.ipcboot.socket.internal.SocketIpcClient;
import dev.ipcboot.socket.shm.internal.ShmIpcClient;

/**
 * Registers one {@link dev.ipcboot.socket.IpcClient} bean per {@code ipc.clients} entry,
 * named {@code ipc.clients.<name>} and qualified by {@code <name>}, after checking the
 * entry. A bean the user defined under the same bean name is kept.
 */
class SocketClientRegistrar extends NamedBeanRegistrar {

	static final String BEAN_NAME_PREFIX = "ipc.clients.";

	@Override
	public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
		boolean aheadOfTime = Boolean.getBoolean(AbstractAotProcessor.AOT_PROCESSING);
		bind(SocketClientProperties.class, SocketClientProperties::getClients).forEach((name, client) -> {
			if (client.getTransport() == SocketClientProperties.Transport.UDP) {
				if (!aheadOfTime) {
					UdpSettingsFactory.client(name, client, classLoader());
				}
				subscribing(client, register(registry, BEAN_NAME_PREFIX, name,
						dev.ipcboot.socket.udp.internal.UdpIpcClient.class, UdpBeans.class, "udpClient"));
				return;
			}
			if (client.getTransport() == SocketClientProperties.Transport.SHM) {
				if (!aheadOfTime) {
					ShmSettingsFactory.client(name, client, classLoader());
				}
				subscribing(client, register(registry, BEAN_NAME_PREFIX, name, ShmIpcClient.class, "shmClient"));
				return;
			}
			if (!aheadOfTime) {
				// fail before any bean is created; ahead of time the values may still be
				// placeholders that only the run supplies (a test's socket directory),
				// and
				// creating the client checks them again
				SocketClientSettingsMapper.validate(name, client);
			}
			subscribing(client, register(registry, BEAN_NAME_PREFIX, name, SocketIpcClient.class, "client"));
		});
	}

	private static void subscribing(SocketClientProperties.Client client, @Nullable RootBeanDefinition definition) {
		if (definition != null && client.isSubscribe()) {
			definition.addQualifier(new AutowireCandidateQualifier(SubscribingClient.class));
		}
	}

	private @Nullable ClassLoader classLoader() {
		return (beanFactory() instanceof ConfigurableBeanFactory configurable) ? configurable.getBeanClassLoader()
				: null;
	}

	/**
	 * Create the client of one entry; the factory method of the registered beans.
	 * @param name the entry's name
	 * @param factory the client factory
	 * @return the client
	 */
	static SocketIpcClient client(String name, SocketClientFactory factory) {
		return factory.create(name);
	}

	/**
	 * Create the client of a {@code transport: shm} entry; the factory method of its
	 * bean.
	 * @param name the entry's name
	 * @param factory the shm client factory
	 * @return the client
	 */
	static ShmIpcClient shmClient(String name, ShmTransportConfiguration.ShmClientFactory factory) {
		return factory.create(name);
	}

}
