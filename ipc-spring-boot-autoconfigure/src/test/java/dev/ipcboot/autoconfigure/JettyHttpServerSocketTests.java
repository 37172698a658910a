package dev.ipcboot.autoconfigure;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * {@code ipc.http.server} on Jetty 12: the same tests as on Tomcat, through Jetty's
 * {@code UnixDomainServerConnector} (served by the server's own threads).
 */
class JettyHttpServerSocketTests extends HttpServerSocketTests {

	@Override
	SpringApplicationBuilder application() {
		return new SpringApplicationBuilder(App.class).web(WebApplicationType.SERVLET);
	}

	@Override
	String[] arguments() {
		// Jetty as an application that has it instead of Tomcat
		return new String[] { "--spring.autoconfigure.exclude="
				+ "org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration,"
				+ "org.springframework.boot.tomcat.autoconfigure.actuate.web.server.TomcatServletManagementContextAutoConfiguration" };
	}

	@Override
	String socketThreadPrefix() {
		return null;
	}

}
