package dev.ipcboot.autoconfigure;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.util.ClassUtils;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import dev.ipcboot.IpcConfigurationException;
import dev.ipcboot.IpcInvocationMetrics;
import dev.ipcboot.IpcMetrics;
import dev.ipcboot.http.HttpSocketClient;
import dev.ipcboot.http.HttpSocketWebClient;

/**
 * Registers, for each {@code ipc.http.clients.<name>}, a {@link RestClient} bean named
 * {@code ipc.http.clients.<name>} and qualified {@code <name>}, and the
 * {@link HttpSocketClient} behind it ({@code ipc.http.client-connections.<name>}), when
 * Jetty's client is present; and a {@link WebClient} bean named
 * {@code ipc.http.web-clients.<name>}, qualified the same, and the
 * {@link HttpSocketWebClient} behind it ({@code ipc.http.web-client-connections.<name>}),
 * when WebFlux and Reactor Netty are present. The context closes the connections. The
 * clients are built from Boot's builders when there are some, so they have the
 * application's message converters, codecs and observations.
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
		bind(IpcSection.class, (ipc) -> ipc.getHttp().getClients())
			.forEach((name, client) -> register(registry, name, client));
	}

	private void register(BeanDefinitionRegistry registry, String name, HttpProperties.Client client) {
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
		if (restPresent) {
			RestClients.register(this, registry, name, client);
		}
		if (webPresent) {
			WebClients.register(this, registry, name, client);
		}
	}

	private IpcInvocationMetrics metrics(String name) {
		IpcMetrics metrics = beanFactory().getBeanProvider(IpcMetrics.class).getIfAvailable(() -> IpcMetrics.NONE);
		return metrics.client(HttpClientConfiguration.METRICS_PREFIX + name, "local");
	}

	private static void registerQualified(BeanDefinitionRegistry registry, String beanName, String name,
			RootBeanDefinition definition) {
		definition.addQualifier(new AutowireCandidateQualifier(Qualifier.class, name));
		registry.registerBeanDefinition(beanName, definition);
	}

	/** Kept apart so that nothing loads RestClient or Jetty unless they are present. */
	private static final class RestClients {

		static void register(HttpClientRegistrar registrar, BeanDefinitionRegistry registry, String name,
				HttpProperties.Client client) {
			String beanName = HttpSettingsFactory.CLIENTS + name;
			if (registry.containsBeanDefinition(beanName)) {
				return;
			}
			registrar.register(registry, CONNECTIONS, name, HttpSocketClient.class,
					() -> new HttpSocketClient(HttpSettingsFactory.client(name, client),
							builder(registrar.beanFactory()), registrar.metrics(name)));
			registerQualified(registry, beanName, name, new RootBeanDefinition(RestClient.class,
					() -> registrar.beanFactory().getBean(CONNECTIONS + name, HttpSocketClient.class).restClient()));
		}

		private static RestClient.Builder builder(BeanFactory beanFactory) {
			RestClient.Builder builder = beanFactory.getBeanProvider(RestClient.Builder.class).getIfAvailable();
			return (builder != null) ? builder.clone() : RestClient.builder();
		}

	}

	/**
	 * Kept apart so that nothing loads WebFlux or Reactor Netty unless they are present.
	 */
	private static final class WebClients {

		static void register(HttpClientRegistrar registrar, BeanDefinitionRegistry registry, String name,
				HttpProperties.Client client) {
			String beanName = WEB_CLIENTS + name;
			if (registry.containsBeanDefinition(beanName)) {
				return;
			}
			registrar.register(registry, WEB_CONNECTIONS, name, HttpSocketWebClient.class,
					() -> new HttpSocketWebClient(HttpSettingsFactory.client(name, client),
							builder(registrar.beanFactory()), registrar.metrics(name)));
			registerQualified(registry, beanName, name,
					new RootBeanDefinition(WebClient.class,
							() -> registrar.beanFactory()
								.getBean(WEB_CONNECTIONS + name, HttpSocketWebClient.class)
								.webClient()));
		}

		private static WebClient.Builder builder(BeanFactory beanFactory) {
			WebClient.Builder builder = beanFactory.getBeanProvider(WebClient.Builder.class).getIfAvailable();
			return (builder != null) ? builder.clone() : WebClient.builder();
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
