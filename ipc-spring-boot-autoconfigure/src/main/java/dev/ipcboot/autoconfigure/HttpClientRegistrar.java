package dev.ipcboot.autoconfigure;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.web.client.RestClient;

import dev.ipcboot.http.HttpSocketClient;

/**
 * Registers, for each {@code ipc.http.clients.<name>}, a {@link RestClient} bean named
 * {@code ipc.http.clients.<name>} and qualified {@code <name>}, and the
 * {@link HttpSocketClient} behind it ({@code ipc.http.client-connections.<name>}), which
 * the context closes. A RestClient is built from Boot's {@code RestClient.Builder} when
 * there is one, so it has the application's message converters and observations.
 */
class HttpClientRegistrar extends NamedBeanRegistrar {

	private static final String CONNECTIONS = "ipc.http.client-connections.";

	@Override
	public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
		bind(IpcSection.class, (ipc) -> ipc.getHttp().getClients())
			.forEach((name, client) -> register(registry, name, client));
	}

	private void register(BeanDefinitionRegistry registry, String name, HttpProperties.Client client) {
		String beanName = HttpSettingsFactory.CLIENTS + name;
		if (registry.containsBeanDefinition(beanName)) {
			return;
		}
		register(registry, CONNECTIONS, name, HttpSocketClient.class,
				() -> new HttpSocketClient(HttpSettingsFactory.client(name, client), builder()));
		RootBeanDefinition restClient = new RootBeanDefinition(RestClient.class,
				() -> beanFactory().getBean(CONNECTIONS + name, HttpSocketClient.class).restClient());
		restClient.addQualifier(new AutowireCandidateQualifier(Qualifier.class, name));
		registry.registerBeanDefinition(beanName, restClient);
	}

	private RestClient.Builder builder() {
		RestClient.Builder builder = beanFactory().getBeanProvider(RestClient.Builder.class).getIfAvailable();
		return (builder != null) ? builder.clone() : RestClient.builder();
	}

	/** {@code ipc.*} as far as this registrar reads it. */
	public static class IpcSection {

		private final HttpProperties http = new HttpProperties();

		public HttpProperties getHttp() {
			return this.http;
		}

	}

}
