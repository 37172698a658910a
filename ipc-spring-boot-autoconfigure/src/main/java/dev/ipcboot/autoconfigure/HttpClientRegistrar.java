package dev.ipcboot.autoconfigure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.RuntimeBeanReference;
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
		bind(IpcSection.class, (ipc) -> ipc.getHttp().getClients()).keySet()
			.forEach((name) -> register(registry, name));
	}

	private void register(BeanDefinitionRegistry registry, String name) {
		if (registry.containsBeanDefinition(HttpSettingsFactory.CLIENTS + name)) {
			return;
		}
		register(registry, CONNECTIONS, name, HttpSocketClient.class, "connection");
		RootBeanDefinition restClient = register(registry, HttpSettingsFactory.CLIENTS, name, RestClient.class,
				"restClient");
		if (restClient != null) {
			restClient.setDestroyMethodName(null);
			restClient.getConstructorArgumentValues()
				.addIndexedArgumentValue(1, new RuntimeBeanReference(CONNECTIONS + name));
		}
	}

	/**
	 * Create the connection of one entry; the factory method of the connection beans.
	 * @param name the entry's name
	 * @param properties the bound properties
	 * @param builders Boot's builder, when there is one
	 * @return the connection
	 */
	static HttpSocketClient connection(String name, HttpProperties properties,
			ObjectProvider<RestClient.Builder> builders) {
		HttpProperties.Client client = entry(properties.getClients(), HttpSettingsFactory.CLIENTS, name);
		RestClient.Builder builder = builders.getIfAvailable();
		return new HttpSocketClient(HttpSettingsFactory.client(name, client),
				(builder != null) ? builder.clone() : RestClient.builder());
	}

	/**
	 * The RestClient of one entry; the factory method of the RestClient beans.
	 * @param name the entry's name
	 * @param connection the entry's connection
	 * @return the RestClient
	 */
	static RestClient restClient(String name, HttpSocketClient connection) {
		return connection.restClient();
	}

	/** {@code ipc.*} as far as this registrar reads it. */
	public static class IpcSection {

		private final HttpProperties http = new HttpProperties();

		public HttpProperties getHttp() {
			return this.http;
		}

	}

}
