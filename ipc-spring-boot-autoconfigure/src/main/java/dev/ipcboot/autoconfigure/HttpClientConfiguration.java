package dev.ipcboot.autoconfigure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import dev.ipcboot.IpcResourceSource;
import dev.ipcboot.http.HttpSocketClient;

/**
 * {@code RestClient} beans over Unix-domain sockets from {@code ipc.http.clients}, on
 * Jetty's HTTP client.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = { "org.springframework.web.client.RestClient", "org.eclipse.jetty.client.HttpClient" })
@Import(HttpClientRegistrar.class)
class HttpClientConfiguration {

	@Bean
	IpcResourceSource ipcHttpClientResources(ObjectProvider<HttpSocketClient> clients) {
		return () -> clients.orderedStream().toList();
	}

}
