package dev.ipcboot.autoconfigure;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.server.ServerWebExchange;

import dev.ipcboot.http.HttpPeer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ipc.http.server} on Reactor Netty (WebFlux): the same tests as on Tomcat,
 * through a second Reactor Netty server on a {@code DomainSocketAddress} sharing the
 * application's handler (served by Reactor Netty's shared event loops).
 */
class ReactorNettyHttpServerSocketTests extends HttpServerSocketTests {

	@Override
	SpringApplicationBuilder application() {
		return new SpringApplicationBuilder(NettyApp.class).web(WebApplicationType.REACTIVE);
	}

	@Override
	String[] arguments() {
		// Reactor Netty as a WebFlux application has it (the others are on the class path
		// too)
		return new String[] { "--spring.autoconfigure.exclude="
				+ "org.springframework.boot.tomcat.autoconfigure.reactive.TomcatReactiveWebServerAutoConfiguration,"
				+ "org.springframework.boot.tomcat.autoconfigure.actuate.web.server.TomcatReactiveManagementContextAutoConfiguration,"
				+ "org.springframework.boot.jetty.autoconfigure.reactive.JettyReactiveWebServerAutoConfiguration,"
				+ "org.springframework.boot.jetty.autoconfigure.actuate.web.server.JettyReactiveManagementContextAutoConfiguration" };
	}

	@Override
	String socketThreadPrefix() {
		return null;
	}

	@Test
	void exchangeCarriesThePeersProcessIdFromNettysNativeTransport() throws Exception {
		Path socket = this.dir.resolve("app.sock");
		try (ConfigurableApplicationContext context = start("ipc.http.server.path=" + socket,
				"ipc.http.clients.self.path=" + socket)) {
			Curl curl = curl(List.of(), socket, "/peer/pid");
			assertThat(curl.out()).matches("pid [1-9][0-9]*");
			RestClient tcp = RestClient.builder()
				.baseUrl("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port"))
				.build();
			assertThat(tcp.get().uri("/peer/pid").retrieve().body(String.class)).isEqualTo("none");
			assertThat(context.getBean(Caller.class).self.get().uri("/peer/pid").retrieve().body(String.class))
				.isEqualTo("pid " + ProcessHandle.current().pid());
		}
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class NettyApp {

		@Bean
		ReactivePeerController peerController() {
			return new ReactivePeerController();
		}

		@Bean
		Caller caller(@Qualifier("self") ObjectProvider<RestClient> self,
				@Qualifier("self") ObjectProvider<WebClient> reactiveSelf) {
			return new Caller(self.getIfAvailable(RestClient::create), reactiveSelf.getIfAvailable(WebClient::create));
		}

	}

	@RestController
	static class ReactivePeerController {

		@GetMapping("/peer")
		String peer(ServerWebExchange exchange) {
			Object peer = exchange.getAttribute(HttpPeer.ATTRIBUTE);
			return (peer instanceof HttpPeer httpPeer) ? "uid " + httpPeer.uid() : "none";
		}

		@GetMapping("/peer/pid")
		String pid(ServerWebExchange exchange) {
			Object peer = exchange.getAttribute(HttpPeer.ATTRIBUTE);
			return (peer instanceof HttpPeer httpPeer) ? "pid " + httpPeer.pid() : "none";
		}

	}

}
