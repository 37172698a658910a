package dev.ipcboot.autoconfigure;

import java.util.List;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.reactive.HttpHandler;

import dev.ipcboot.internal.IpcMetrics;
import dev.ipcboot.internal.IpcResourceSource;
import dev.ipcboot.http.internal.HttpPeerWebFilter;
import dev.ipcboot.http.internal.HttpSocketServer;

/**
 * The embedded web server on a Unix-domain socket from {@code ipc.http.server}: an extra
 * connector on Tomcat and Jetty, a second server sharing the handler on Reactor Netty.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
@Conditional(OnHttpServerCondition.class)
class HttpServerConfiguration {

	/** The channel name of the socket's meters ({@code ipc.connections} and others). */
	static final String METRICS_CHANNEL = "http-server";

	@Bean
	static HttpServerCustomizer ipcHttpServerCustomizer(HttpProperties properties,
			ObjectProvider<HttpSocketServer> server, ObjectProvider<HttpReactorNettyLifecycle> reactorNetty) {
		return new HttpServerCustomizer(HttpSettingsFactory.server(properties.getServer()), server, reactorNetty);
	}

	@Bean
	HttpSocketServer ipcHttpSocketServer(HttpProperties properties, ObjectProvider<IpcMetrics> metrics) {
		return new HttpSocketServer(HttpSettingsFactory.server(properties.getServer()),
				metrics.getIfAvailable(() -> IpcMetrics.NONE).channel(METRICS_CHANNEL, "local"));
	}

	@Bean
	IpcResourceSource ipcHttpServerResources(HttpSocketServer server) {
		return () -> List.of(server);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = Type.REACTIVE)
	@ConditionalOnClass(name = { HttpServerCustomizer.NETTY_FACTORY, "io.netty.channel.epoll.Epoll" })
	static class ReactorNettySocketServer {

		@Bean
		HttpReactorNettyLifecycle ipcHttpReactorNetty(HttpSocketServer server, ObjectProvider<HttpHandler> handler) {
			return new HttpReactorNettyLifecycle(server, handler);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = Type.REACTIVE)
	static class ReactivePeer {

		@Bean
		HttpPeerWebFilter ipcHttpPeerWebFilter() {
			return new HttpPeerWebFilter();
		}

	}

}
