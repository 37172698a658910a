package dev.ipcboot.autoconfigure;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * {@code ipc.http.server} on reactive Tomcat (WebFlux on Tomcat): the same tests as on
 * servlet Tomcat, with the peer read from the exchange attribute.
 */
class ReactiveTomcatHttpServerSocketTests extends HttpServerSocketTests {

	@Override
	SpringApplicationBuilder application() {
		return new SpringApplicationBuilder(ReactorNettyHttpServerSocketTests.NettyApp.class)
			.web(WebApplicationType.REACTIVE);
	}

	@Override
	String[] arguments() {
		// Tomcat as a WebFlux application that has it instead of Reactor Netty
		return new String[] { "--spring.autoconfigure.exclude="
				+ "org.springframework.boot.reactor.netty.autoconfigure.NettyReactiveWebServerAutoConfiguration,"
				+ "org.springframework.boot.reactor.netty.autoconfigure.actuate.web.server.NettyReactiveManagementContextAutoConfiguration,"
				+ "org.springframework.boot.jetty.autoconfigure.reactive.JettyReactiveWebServerAutoConfiguration,"
				+ "org.springframework.boot.jetty.autoconfigure.actuate.web.server.JettyReactiveManagementContextAutoConfiguration" };
	}

}
