package dev.ipcboot.autoconfigure;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * {@code ipc.http.server} on reactive Jetty (WebFlux on Jetty): the same tests as on
 * servlet Jetty, with the peer read from the exchange attribute.
 */
class ReactiveJettyHttpServerSocketTests extends HttpServerSocketTests {

	@Override
	SpringApplicationBuilder application() {
		return new SpringApplicationBuilder(ReactorNettyHttpServerSocketTests.NettyApp.class)
			.web(WebApplicationType.REACTIVE);
	}

	@Override
	String[] arguments() {
		// Jetty as a WebFlux application that has it instead of Reactor Netty
		return new String[] { "--spring.autoconfigure.exclude="
				+ "org.springframework.boot.reactor.netty.autoconfigure.NettyReactiveWebServerAutoConfiguration,"
				+ "org.springframework.boot.reactor.netty.autoconfigure.actuate.web.server.NettyReactiveManagementContextAutoConfiguration,"
				+ "org.springframework.boot.tomcat.autoconfigure.reactive.TomcatReactiveWebServerAutoConfiguration,"
				+ "org.springframework.boot.tomcat.autoconfigure.actuate.web.server.TomcatReactiveManagementContextAutoConfiguration" };
	}

	@Override
	String socketThreadPrefix() {
		return null;
	}

}
