package dev.ipcboot.autoconfigure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.tomcat.TomcatWebServerFactory;
import org.springframework.boot.web.server.ConfigurableWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.util.ClassUtils;

import dev.ipcboot.IpcConfigurationException;
import dev.ipcboot.http.HttpServerSettings;
import dev.ipcboot.http.HttpSocketServer;

/**
 * Adds the Unix-domain socket listener to the embedded web server, or fails start-up
 * saying which server to choose when the configured one cannot have it.
 */
class HttpServerCustomizer implements WebServerFactoryCustomizer<ConfigurableWebServerFactory> {

	static final String TOMCAT_FACTORY = "org.springframework.boot.tomcat.TomcatWebServerFactory";

	private static final boolean TOMCAT_PRESENT = ClassUtils.isPresent(TOMCAT_FACTORY,
			HttpServerCustomizer.class.getClassLoader());

	private final HttpServerSettings settings;

	private final ObjectProvider<HttpSocketServer> server;

	HttpServerCustomizer(HttpServerSettings settings, ObjectProvider<HttpSocketServer> server) {
		this.settings = settings;
		this.server = server;
	}

	@Override
	public void customize(ConfigurableWebServerFactory factory) {
		HttpSocketServer socketServer = this.server.getIfAvailable();
		if (TOMCAT_PRESENT && socketServer != null && Tomcat.addTo(factory, socketServer)) {
			return;
		}
		throw new IpcConfigurationException(HttpSettingsFactory.SERVER + ".path",
				"the embedded web server (" + factory.getClass().getSimpleName() + ") cannot listen on the"
						+ " Unix-domain socket " + this.settings.path()
						+ "; this starter serves sockets on Tomcat only",
				"Use Tomcat as the embedded server (spring-boot-starter-tomcat, the default of"
						+ " spring-boot-starter-webmvc, instead of Jetty or Reactor Netty), or remove"
						+ " ipc.http.server.path and ipc.http.server.name.");
	}

	/** Kept apart so that nothing loads Tomcat's classes unless they are present. */
	private static final class Tomcat {

		static boolean addTo(ConfigurableWebServerFactory factory, HttpSocketServer server) {
			if (!(factory instanceof TomcatWebServerFactory tomcat)) {
				return false;
			}
			try {
				server.checkAvailable();
			}
			catch (RuntimeException ex) {
				IpcConfigurationException failure = new IpcConfigurationException(HttpSettingsFactory.SERVER + ".path",
						ex.getMessage(), "Stop the other process or set ipc.http.server.path to a free path.");
				failure.initCause(ex);
				throw failure;
			}
			tomcat.addAdditionalConnectors(server.tomcatConnector());
			return true;
		}

	}

}
