package dev.ipcboot.autoconfigure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import dev.ipcboot.internal.IpcResourceSource;
import dev.ipcboot.http.internal.HttpSocketClient;
import dev.ipcboot.http.internal.HttpSocketWebClient;

/**
 * {@code RestClient} beans over Unix-domain sockets from {@code ipc.http.clients}, on
 * Jetty's HTTP client, and {@code WebClient} beans on Reactor Netty's when WebFlux is
 * present.
 */
@Configuration(proxyBeanMethods = false)
@Import(HttpClientRegistrar.class)
class HttpClientConfiguration {

	/**
	 * The prefix of the client names of the {@code ipc.client} meters of
	 * {@code ipc.http.clients.<name>}: {@code http-<name>}.
	 */
	static final String METRICS_PREFIX = "http-";

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { HttpClientRegistrar.REST_CLIENT, HttpClientRegistrar.JETTY_CLIENT })
	static class RestClients {

		@Bean
		IpcResourceSource ipcHttpClientResources(ObjectProvider<HttpSocketClient> clients) {
			return () -> clients.orderedStream().toList();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { HttpClientRegistrar.WEB_CLIENT, HttpClientRegistrar.REACTOR_NETTY_CLIENT,
			HttpClientRegistrar.EPOLL })
	static class WebClients {

		@Bean
		IpcResourceSource ipcHttpWebClientResources(ObjectProvider<HttpSocketWebClient> clients) {
			return () -> clients.orderedStream().toList();
		}

	}

}
