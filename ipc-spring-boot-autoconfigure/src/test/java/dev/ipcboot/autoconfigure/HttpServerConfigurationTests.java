package dev.ipcboot.autoconfigure;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.server.AbstractConfigurableWebServerFactory;

import dev.ipcboot.IpcConfigurationException;
import dev.ipcboot.http.internal.HttpPeerWebFilter;
import dev.ipcboot.http.internal.HttpSocketServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * When {@code ipc.http.server} applies and what it does with a server that is not Tomcat,
 * Jetty or Reactor Netty.
 */
class HttpServerConfigurationTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(HttpAutoConfiguration.class));

	@TempDir
	Path dir;

	@Test
	void withoutPathOrNameTheWebServerStaysOnTcpOnly() {
		this.runner.run((context) -> assertThat(context).hasNotFailed()
			.doesNotHaveBean(HttpSocketServer.class)
			.doesNotHaveBean(HttpServerCustomizer.class));
	}

	@Test
	void outsideAWebApplicationThePathIsIgnored() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(HttpAutoConfiguration.class))
			.withPropertyValues("ipc.http.server.path=" + this.dir.resolve("app.sock"))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(HttpSocketServer.class));
	}

	@Test
	void pathAndNameTogetherFailNamingTheProperty() {
		this.runner
			.withPropertyValues("ipc.http.server.path=" + this.dir.resolve("app.sock"), "ipc.http.server.name=app.sock")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(IpcConfigurationException.class)
				.hasMessageContaining("ipc.http.server.path")
				.hasMessageContaining("both path"));
	}

	@Test
	void qtStyleNameIsResolvedInTheTempDirectoryWithOwnerOnlyDefaults() {
		this.runner.withPropertyValues("ipc.http.server.name=app-http.sock")
			.run((context) -> assertThat(context.getBean(HttpSocketServer.class).state().details())
				.containsEntry("permissions", "rw-------")
				.hasEntrySatisfying("path", (path) -> assertThat(path.toString()).endsWith("/app-http.sock")));
	}

	@Test
	void aWebServerThatIsNotTomcatJettyOrReactorNettyFailsStartNamingThePropertyAndTheServersThatCan() {
		this.runner.withPropertyValues("ipc.http.server.path=" + this.dir.resolve("app.sock")).run((context) -> {
			HttpServerCustomizer customizer = context.getBean(HttpServerCustomizer.class);
			AbstractConfigurableWebServerFactory other = new AbstractConfigurableWebServerFactory() {
			};
			assertThatExceptionOfType(IpcConfigurationException.class).isThrownBy(() -> customizer.customize(other))
				.satisfies((ex) -> assertThat(ex.getProperty()).isEqualTo("ipc.http.server.path"))
				.satisfies((ex) -> assertThat(ex.getAction()).contains("Reactor Netty (WebFlux applications)"))
				.withMessageContaining("serves sockets on Tomcat, Jetty and Reactor Netty");
		});
	}

	@Test
	void reactorNettyWithoutNettysNativeTransportFailsStartNamingThePropertyAndTheArtifact() {
		new ReactiveWebApplicationContextRunner().withConfiguration(AutoConfigurations.of(HttpAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader("io.netty.channel.epoll"))
			.withPropertyValues("ipc.http.server.path=" + this.dir.resolve("app.sock"))
			.run((context) -> {
				HttpServerCustomizer customizer = context.getBean(HttpServerCustomizer.class);
				assertThatExceptionOfType(IpcConfigurationException.class)
					.isThrownBy(() -> customizer.customize(new NettyReactiveWebServerFactory()))
					.satisfies((ex) -> assertThat(ex.getProperty()).isEqualTo("ipc.http.server.path"))
					.satisfies((ex) -> assertThat(ex.getAction()).contains("netty-transport-native-epoll"))
					.withMessageContaining("native epoll transport");
			});
	}

	@Test
	void reactorNettyGetsTheSocketServerAndThePeerFilter() {
		new ReactiveWebApplicationContextRunner().withConfiguration(AutoConfigurations.of(HttpAutoConfiguration.class))
			.withPropertyValues("ipc.http.server.path=" + this.dir.resolve("app.sock"))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(HttpPeerWebFilter.class)
				.hasSingleBean(HttpReactorNettyLifecycle.class)
				.hasSingleBean(HttpSocketServer.class));
	}

}
