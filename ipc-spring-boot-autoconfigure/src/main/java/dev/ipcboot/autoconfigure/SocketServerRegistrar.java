package dev.ipcboot.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.core.type.AnnotationMetadata;

import dev.ipcboot.socket.internal.SocketServer;
import dev.ipcboot.socket.internal.SocketServers;
import dev.ipcboot.socket.shm.internal.ShmServer;
import dev.ipcboot.socket.shm.internal.ShmServers;

/**
 * Registers one {@link dev.ipcboot.socket.IpcServer} bean per {@code ipc.servers} entry,
 * named {@code ipc.servers.<name>} and qualified by {@code <name>}: the server that
 * {@link SocketServers} created and runs (it starts and stops them, so these beans have
 * no lifecycle of their own).
 */
class SocketServerRegistrar extends NamedBeanRegistrar {

	static final String BEAN_NAME_PREFIX = "ipc.servers.";

	@Override
	public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
		bind(SocketServerProperties.class, SocketServerProperties::getServers).forEach((name, server) -> {
			if (server.getTransport() == SocketServerProperties.Transport.UDP) {
				RootBeanDefinition definition = register(registry, BEAN_NAME_PREFIX, name,
						dev.ipcboot.socket.udp.internal.UdpServer.class, UdpBeans.class, "udpServer");
				if (definition != null) {
					definition.setDestroyMethodName(null);
				}
				return;
			}
			boolean shm = server.getTransport() == SocketServerProperties.Transport.SHM;
			RootBeanDefinition definition = shm
					? register(registry, BEAN_NAME_PREFIX, name, ShmServer.class, "shmServer")
					: register(registry, BEAN_NAME_PREFIX, name, SocketServer.class, "server");
			if (definition != null) {
				definition.setDestroyMethodName(null);
			}
		});
	}

	/**
	 * The server of one entry; the factory method of the registered beans.
	 * @param name the entry's name
	 * @param servers the servers
	 * @return the server, {@code null} (no bean) when an application's own
	 * {@link SocketServers} does not run it
	 */
	static @Nullable SocketServer server(String name, SocketServers servers) {
		return servers.get(name);
	}

	/**
	 * The server of a {@code transport: shm} entry; the factory method of its bean.
	 * @param name the entry's name
	 * @param servers the shm servers
	 * @return the server, {@code null} (no bean) when an application's own
	 * {@link ShmServers} does not run it
	 */
	static @Nullable ShmServer shmServer(String name, ShmServers servers) {
		return servers.get(name);
	}

}
