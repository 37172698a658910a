package dev.ipcboot.autoconfigure;

import java.util.List;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

import dev.ipcboot.IpcResourceSource;
import dev.ipcboot.http.HttpSocketServer;

/**
 * The embedded web server on a Unix-domain socket from {@code ipc.http.server}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
@Conditional(OnHttpServerCondition.class)
class HttpServerConfiguration {

	@Bean
	static HttpServerCustomizer ipcHttpServerCustomizer(HttpProperties properties,
			ObjectProvider<HttpSocketServer> server) {
		return new HttpServerCustomizer(HttpSettingsFactory.server(properties.getServer()), server);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = HttpServerCustomizer.TOMCAT_FACTORY)
	static class TomcatSocketServer {

		@Bean
		HttpSocketServer ipcHttpSocketServer(HttpProperties properties) {
			return new HttpSocketServer(HttpSettingsFactory.server(properties.getServer()));
		}

		@Bean
		IpcResourceSource ipcHttpServerResources(HttpSocketServer server) {
			return () -> List.of(server);
		}

	}

}
