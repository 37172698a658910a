package dev.ipcboot.autoconfigure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.jetty.ConfigurableJettyWebServerFactory;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.tomcat.TomcatWebServerFactory;
import org.springframework.boot.web.server.ConfigurableWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.util.ClassUtils;

import dev.ipcboot.IpcConfigurationException;
import dev.ipcboot.http.HttpServerSettings;
import dev.ipcboot.http.internal.HttpSocketServer;
import dev.ipcboot.http.internal.JettySocket;
import dev.ipcboot.http.internal.TomcatSocket;

/**
 * Adds the Unix-domain socket listener to the embedded web server (Tomcat, Jetty or
 * Reactor Netty), or fails start-up saying which server to choose when the configured one
 * cannot have it.
 */
class HttpServerCustomizer implements WebServerFactoryCustomizer<ConfigurableWebServerFactory> {

	static final String TOMCAT_FACTORY = "org.springframework.boot.tomcat.TomcatWebServerFactory";

	static final String JETTY_FACTORY = "org.springframework.boot.jetty.ConfigurableJettyWebServerFactory";

	static final String JETTY_CONNECTOR = "org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector";

	static final String NETTY_FACTORY = "org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory";

	private static final ClassLoader CLASS_LOADER = HttpServerCustomizer.class.getClassLoader();

	private static final boolean TOMCAT_PRESENT = ClassUtils.isPresent(TOMCAT_FACTORY, CLASS_LOADER);

	private static final boolean JETTY_PRESENT = ClassUtils.isPresent(JETTY_FACTORY, CLASS_LOADER);

	private static final boolean JETTY_CONNECTOR_PRESENT = ClassUtils.isPresent(JETTY_CONNECTOR, CLASS_LOADER);

	private static final boolean NETTY_PRESENT = ClassUtils.isPresent(NETTY_FACTORY, CLASS_LOADER);

	private final HttpServerSettings settings;

	private final ObjectProvider<HttpSocketServer> server;

	private final ObjectProvider<HttpReactorNettyLifecycle> reactorNetty;

	HttpServerCustomizer(HttpServerSettings settings, ObjectProvider<HttpSocketServer> server,
			ObjectProvider<HttpReactorNettyLifecycle> reactorNetty) {
		this.settings = settings;
		this.server = server;
		this.reactorNetty = reactorNetty;
	}

	@Override
	public void customize(ConfigurableWebServerFactory factory) {
		HttpSocketServer socketServer = this.server.getObject();
		if (TOMCAT_PRESENT && Tomcat.isTomcat(factory)) {
			checkAvailable(socketServer);
			Tomcat.addTo(factory, socketServer);
			return;
		}
		if (JETTY_PRESENT && Jetty.isJetty(factory)) {
			if (!JETTY_CONNECTOR_PRESENT) {
				throw new IpcConfigurationException(HttpSettingsFactory.SERVER + ".path",
						"Jetty cannot listen on the Unix-domain socket " + this.settings.path()
								+ " without its Unix-domain connector",
						"Add org.eclipse.jetty:jetty-unixdomain-server (its version is managed by Spring Boot), or"
								+ " remove ipc.http.server.path and ipc.http.server.name.");
			}
			checkAvailable(socketServer);
			Jetty.addTo(factory, socketServer);
			return;
		}
		if (NETTY_PRESENT && ReactorNetty.isReactorNetty(factory)) {
			HttpReactorNettyLifecycle lifecycle = this.reactorNetty.getIfAvailable();
			if (lifecycle == null) {
				throw new IpcConfigurationException(HttpSettingsFactory.SERVER + ".path",
						"Reactor Netty cannot listen on the Unix-domain socket " + this.settings.path()
								+ " without Netty's native epoll transport",
						"Add io.netty:netty-transport-native-epoll with the classifier of the platform (the starter"
								+ " brings linux-x86_64 and linux-aarch_64), or remove ipc.http.server.path and"
								+ " ipc.http.server.name.");
			}
			checkAvailable(socketServer);
			ReactorNetty.addTo(factory, lifecycle);
			return;
		}
		throw new IpcConfigurationException(HttpSettingsFactory.SERVER + ".path",
				"the embedded web server (" + factory.getClass().getSimpleName() + ") cannot listen on the"
						+ " Unix-domain socket " + this.settings.path()
						+ "; this starter serves sockets on Tomcat, Jetty and Reactor Netty",
				"Use Tomcat or Jetty (servlet applications) or Reactor Netty (WebFlux applications) as the"
						+ " embedded server, or remove ipc.http.server.path and ipc.http.server.name.");
	}

	private static void checkAvailable(HttpSocketServer server) {
		try {
			server.checkAvailable();
		}
		catch (RuntimeException ex) {
			IpcConfigurationException failure = new IpcConfigurationException(HttpSettingsFactory.SERVER + ".path",
					ex.getMessage(), "Stop the other process or set ipc.http.server.path to a free path.");
			failure.initCause(ex);
			throw failure;
		}
	}

	/** Kept apart so that nothing loads Tomcat's classes unless they are present. */
	private static final class Tomcat {

		static boolean isTomcat(ConfigurableWebServerFactory factory) {
			return factory instanceof TomcatWebServerFactory;
		}

		static void addTo(ConfigurableWebServerFactory factory, HttpSocketServer server) {
			((TomcatWebServerFactory) factory).addAdditionalConnectors(TomcatSocket.connector(server));
		}

	}

	/** Kept apart so that nothing loads Jetty's classes unless they are present. */
	private static final class Jetty {

		static boolean isJetty(ConfigurableWebServerFactory factory) {
			return factory instanceof ConfigurableJettyWebServerFactory;
		}

		static void addTo(ConfigurableWebServerFactory factory, HttpSocketServer server) {
			((ConfigurableJettyWebServerFactory) factory)
				.addServerCustomizers((jetty) -> JettySocket.addConnector(jetty, server));
		}

	}

	/**
	 * Kept apart so that nothing loads Reactor Netty's classes unless they are present.
	 */
	private static final class ReactorNetty {

		static boolean isReactorNetty(ConfigurableWebServerFactory factory) {
			return factory instanceof NettyReactiveWebServerFactory;
		}

		static void addTo(ConfigurableWebServerFactory factory, HttpReactorNettyLifecycle lifecycle) {
			((NettyReactiveWebServerFactory) factory).addServerCustomizers(lifecycle::configured);
		}

	}

}
