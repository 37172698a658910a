package dev.ipcboot.autoconfigure;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.core.type.AnnotationMetadata;

import dev.ipcboot.socket.SocketServer;
import dev.ipcboot.socket.SocketServers;

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
		bind(SocketServerProperties.class, SocketServerProperties::getServers).keySet().forEach((name) -> {
			String beanName = BEAN_NAME_PREFIX + name;
			if (registry.containsBeanDefinition(beanName)) {
				return;
			}
			RootBeanDefinition definition = new RootBeanDefinition(SocketServer.class,
					() -> beanFactory().getBean(SocketServers.class).get(name));
			definition.addQualifier(new AutowireCandidateQualifier(Qualifier.class, name));
			registry.registerBeanDefinition(beanName, definition);
		});
	}

}
