package dev.ipcboot.autoconfigure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.beans.factory.config.RuntimeBeanReference;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.util.ClassUtils;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import dev.ipcboot.IpcConfigurationException;
import dev.ipcboot.internal.IpcInvocationMetrics;
import dev.ipcboot.internal.IpcMetrics;
import dev.ipcboot.http.internal.HttpSocketClient;
import dev.ipcboot.http.internal.HttpSocketWebClient;

/**
 * Registers, for each {@code ipc.http.clients.<name>}, a {@link RestClient} bean named
 * {@code ipc.http.clients.<name>} and qualified {@code <name>}, and the
 * {@link HttpSocketClient} behind it ({@code ipc.http.client-connections.<name>}), when
 * Jetty's client is present; and a {@link WebClient} bean named
 * {@code ipc.http.web-clients.<name>}, qualified the same, and the
 * {@link HttpSocketWebClient} behind it ({@code ipc.http.web-client-connections.<name>}),
 * when WebFlux and Reactor Netty are present. The context closes the connections. The
 * clients are built from Boot's builders when there are some, so they have the
 * application's message converters, codecs and observations. The beans are static factory
 * methods taking the entry's name, which {@code process-aot} writes out.
 */
class HttpClientRegistrar extends NamedBeanRegistrar {

	static final String REST_CLIENT = "org.springframework.web.client.RestClient";

	static final String JETTY_CLIENT = "org.eclipse.jetty.client.HttpClient";

	static final String WEB_CLIENT = "org.springframework.web.reactive.function.client.WebClient";

	static final String REACTOR_NETTY_CLIENT = "reactor.netty.http.client.HttpClient";

	static final String EPOLL = "io.netty.channel.epoll.Epoll";

	private static final String CONNECTIONS = "ipc.http.client-connections.";

	private static final String WEB_CLIENTS = "ipc.http.web-clients.";

	private static final String WEB_CONNECTIONS = "ipc.http.web-client-connections.";

	@Override
	public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
		bind(IpcSection.class, (ipc) -> ipc.getHttp().getClients()).keySet()
			.forEach((name) -> register(registry, name));
	}

	private void register(BeanDefinitionRegistry registry, String name) {
		ClassLoader classLoader = (beanFactory() instanceof ConfigurableBeanFactory configurable)
				? configurable.getBeanClassLoader() : getClass().getClassLoader();
		boolean restPresent = ClassUtils.isPresent(REST_CLIENT, classLoader)
				&& ClassUtils.isPresent(JETTY_CLIENT, classLoader);
		boolean webPresent = ClassUtils.isPresent(WEB_CLIENT, classLoader)
				&& ClassUtils.isPresent(REACTOR_NETTY_CLIENT, classLoader) && ClassUtils.isPresent(EPOLL, classLoader);
		if (!restPresent && !webPresent) {
			throw new IpcConfigurationException(HttpSettingsFactory.CLIENTS + name + ".path",
					"no HTTP client library that reaches Unix-domain sockets is on the class path",
					"Add org.eclipse.jetty:jetty-client for a RestClient bean, or spring-boot-starter-webflux"
							+ " (Reactor Netty) for a WebClient bean; Spring Boot manages both versions.");
		}
		if (restPresent && !registry.containsBeanDefinition(HttpSettingsFactory.CLIENTS + name)) {
			register(registry, CONNECTIONS, name, HttpSocketClient.class, RestClients.class, "connection");
			client(register(registry, HttpSettingsFactory.CLIENTS, name, RestClient.class, RestClients.class,
					"restClient"), CONNECTIONS + name);
		}
		if (webPresent && !registry.containsBeanDefinition(WEB_CLIENTS + name)) {
			register(registry, WEB_CONNECTIONS, name, HttpSocketWebClient.class, WebClients.class, "connection");
			client(register(registry, WEB_CLIENTS, name, WebClient.class, WebClients.class, "webClient"),
					WEB_CONNECTIONS + name);
		}
	}

	/** A client bean has no lifecycle of its own and takes its connection bean. */
	private static void client(RootBeanDefinition definition, String connection) {
		if (definition != null) {
			definition.setDestroyMethodName(null);
			definition.getConstructorArgumentValues().addIndexedArgumentValue(1, new RuntimeBeanReference(connection));
		}
	}

	static IpcInvocationMetrics metrics(String name, ObjectProvider<IpcMetrics> metrics) {
		return metrics.getIfAvailable(() -> IpcMetrics.NONE)
			.client(HttpClientConfiguration.METRICS_PREFIX + name, "local");
	}

	/** Kept apart so that nothing loads RestClient or Jetty unless they are present. */
	static final class RestClients {

		private RestClients() {
		}

		static HttpSocketClient connection(String name, HttpProperties properties,
				ObjectProvider<RestClient.Builder> builders, ObjectProvider<IpcMetrics> metrics) {
			HttpProperties.Client client = entry(properties.getClients(), HttpSettingsFactory.CLIENTS, name);
			RestClient.Builder builder = builders.getIfAvailable();
			return new HttpSocketClient(HttpSettingsFactory.client(name, client),
					(builder != null) ? builder.clone() : RestClient.builder(), metrics(name, metrics));
		}

		static RestClient restClient(String name, HttpSocketClient connection) {
			return connection.restClient();
		}

	}

	/**
	 * Kept apart so that nothing loads WebFlux or Reactor Netty unless they are present.
	 */
	static final class WebClients {

		private WebClients() {
		}

		static HttpSocketWebClient connection(String name, HttpProperties properties,
				ObjectProvider<WebClient.Builder> builders, ObjectProvider<IpcMetrics> metrics) {
			HttpProperties.Client client = entry(properties.getClients(), HttpSettingsFactory.CLIENTS, name);
			WebClient.Builder builder = builders.getIfAvailable();
			return new HttpSocketWebClient(HttpSettingsFactory.client(name, client),
					(builder != null) ? builder.clone() : WebClient.builder(), metrics(name, metrics));
		}

		static WebClient webClient(String name, HttpSocketWebClient connection) {
			return connection.webClient();
		}

	}

	/** {@code ipc.*} as far as this registrar reads it. */
	public static class IpcSection {

		private final HttpProperties http = new HttpProperties();

		public HttpProperties getHttp() {
			return this.http;
		}

	}

}
