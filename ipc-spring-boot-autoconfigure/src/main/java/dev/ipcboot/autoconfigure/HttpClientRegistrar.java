package dev.ipcboot.autoconfigure;

import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.util.Assert;
import org.springframework.web.client.RestClient;

import dev.ipcboot.http.HttpSocketClient;

/**
 * Registers, for each {@code ipc.http.clients.<name>}, a {@link RestClient} bean named
 * {@code ipc.http.clients.<name>} and qualified {@code <name>}, and the
 * {@link HttpSocketClient} behind it ({@code ipc.http.clients.<name>.connection}), which
 * the context closes. A RestClient is built from Boot's {@code RestClient.Builder} when
 * there is one, so it has the application's message converters and observations.
 */
class HttpClientRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware, BeanFactoryAware {

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
		Assert.state(this.environment != null, "Environment is required");
		Map<String, HttpProperties.Client> clients = Binder.get(this.environment)
			.bind(HttpSettingsFactory.CLIENTS.substring(0, HttpSettingsFactory.CLIENTS.length() - 1),
					Bindable.mapOf(String.class, HttpProperties.Client.class))
			.orElse(Map.of());
		clients.forEach((name, client) -> register(registry, name, client));
	}

	private void register(BeanDefinitionRegistry registry, String name, HttpProperties.Client client) {
		String beanName = HttpSettingsFactory.CLIENTS + name;
		String connectionName = beanName + ".connection";
		if (registry.containsBeanDefinition(beanName)) {
			return;
		}
		RootBeanDefinition connection = new RootBeanDefinition(HttpSocketClient.class,
				() -> new HttpSocketClient(HttpSettingsFactory.client(name, client), builder()));
		connection.setDestroyMethodName("close");
		connection.addQualifier(new AutowireCandidateQualifier(Qualifier.class, name));
		registry.registerBeanDefinition(connectionName, connection);
		RootBeanDefinition restClient = new RootBeanDefinition(RestClient.class,
				() -> beanFactory().getBean(connectionName, HttpSocketClient.class).restClient());
		restClient.addQualifier(new AutowireCandidateQualifier(Qualifier.class, name));
		registry.registerBeanDefinition(beanName, restClient);
	}

	private RestClient.Builder builder() {
		RestClient.Builder builder = beanFactory().getBeanProvider(RestClient.Builder.class).getIfAvailable();
		return (builder != null) ? builder.clone() : RestClient.builder();
	}

	private BeanFactory beanFactory() {
		Assert.state(this.beanFactory != null, "BeanFactory is required");
		return this.beanFactory;
	}

}
