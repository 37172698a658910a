package dev.ipcboot.autoconfigure;

import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.util.Assert;

import dev.ipcboot.autoconfigure.SocketClientProperties.Client;
import dev.ipcboot.socket.SocketIpcClient;

/**
 * Registers one {@link dev.ipcboot.socket.IpcClient} bean per {@code ipc.clients} entry,
 * named {@code ipc.clients.<name>} and qualified by {@code <name>}, after checking the
 * entry. A bean the user defined under the same bean name is kept.
 */
class SocketClientRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware, BeanFactoryAware {

	static final String BEAN_NAME_PREFIX = "ipc.clients.";

	private @Nullable Environment environment;

	private @Nullable BeanFactory beanFactory;

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
		Environment environment = this.environment;
		BeanFactory beanFactory = this.beanFactory;
		Assert.state(environment != null && beanFactory != null, "Environment and BeanFactory are required");
		Map<String, Client> clients = Binder.get(environment)
			.bind("ipc", SocketClientProperties.class)
			.map(SocketClientProperties::getClients)
			.orElse(Map.of());
		clients.forEach((name, client) -> {
			SocketClientSettingsMapper.validate(name, client);
			String beanName = BEAN_NAME_PREFIX + name;
			if (!registry.containsBeanDefinition(beanName)) {
				RootBeanDefinition definition = new RootBeanDefinition(SocketIpcClient.class,
						() -> beanFactory.getBean(SocketClientFactory.class).create(name));
				definition.addQualifier(new AutowireCandidateQualifier(Qualifier.class, name));
				definition.setDestroyMethodName("close");
				registry.registerBeanDefinition(beanName, definition);
			}
		});
	}

}
