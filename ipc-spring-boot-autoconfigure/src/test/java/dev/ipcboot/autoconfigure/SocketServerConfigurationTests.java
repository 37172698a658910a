package dev.ipcboot.autoconfigure;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.ipcboot.listener.IpcListener;
import dev.ipcboot.socket.internal.SocketServers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Invalid {@code ipc.servers} entries fail start-up with an analysis that names the
 * property and the fix; valid ones make servers; the facility switches off and backs off.
 */
class SocketServerConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(AutoConfigurations
		.of(IpcListenerAutoConfiguration.class, SocketAutoConfiguration.class, SslAutoConfiguration.class));

	@TempDir
	Path dir;

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', quoteCharacter = '"',
			textBlock = """
					port out of range          | ipc.servers.bad.transport=tcp,ipc.servers.bad.port=70000         | ipc.servers.bad.port         | port 70000 is out of range
					negative port              | ipc.servers.bad.transport=tcp,ipc.servers.bad.port=-1            | ipc.servers.bad.port         | port -1 is out of range
					missing path and name      | ipc.servers.bad.transport=local                                  | ipc.servers.bad.path         | needs a path or a name
					both path and name         | ipc.servers.bad.path=/tmp/x.sock,ipc.servers.bad.name=x          | ipc.servers.bad.path         | both path (/tmp/x.sock) and name (x) are set
					relative path              | ipc.servers.bad.path=x.sock                                      | ipc.servers.bad.path         | 'x.sock' is not an absolute path
					zero max-message-size      | ipc.servers.bad.name=x,ipc.servers.bad.max-message-size=0        | ipc.servers.bad.max-message-size | must be between 1B and 2047MB
					negative max-message-size  | ipc.servers.bad.name=x,ipc.servers.bad.max-message-size=-1KB     | ipc.servers.bad.max-message-size | must be between 1B and 2047MB
					zero max-connections       | ipc.servers.bad.name=x,ipc.servers.bad.max-connections=0         | ipc.servers.bad.max-connections  | must be positive, was 0
					negative idle-timeout      | ipc.servers.bad.name=x,ipc.servers.bad.idle-timeout=-1s          | ipc.servers.bad.idle-timeout | must be 0 or positive
					blank host                 | ipc.servers.bad.transport=tcp,ipc.servers.bad.host=              | ipc.servers.bad.host         | needs a host
					unknown ssl bundle         | ipc.servers.bad.transport=tcp,ipc.servers.bad.ssl-bundle=nope    | ipc.servers.bad.ssl-bundle   | there is no SSL bundle 'nope'
					ssl bundle on local        | ipc.servers.bad.name=x,ipc.servers.bad.ssl-bundle=nope           | ipc.servers.bad.ssl-bundle   | TLS is only for transport: tcp
					client-auth without ssl bundle | ipc.servers.bad.transport=tcp,ipc.servers.bad.client-auth=need | ipc.servers.bad.client-auth | client-auth need needs TLS, but no ssl-bundle is set
					client-auth on local       | ipc.servers.bad.name=x,ipc.servers.bad.client-auth=want          | ipc.servers.bad.client-auth  | client certificates are only for transport: tcp with ssl-bundle
					allowed-uids on tcp        | ipc.servers.bad.transport=tcp,ipc.servers.bad.allowed-uids=1000  | ipc.servers.bad.allowed-uids | peer uids are only known for transport: local
					permissions on abstract    | ipc.servers.bad.name=x,ipc.servers.bad.abstract=true,ipc.servers.bad.permissions=world | ipc.servers.bad.permissions | an abstract socket name has no file, so permissions (world) cannot apply
					user permissions on abstract | ipc.servers.bad.name=x,ipc.servers.bad.abstract=true,ipc.servers.bad.permissions=user | ipc.servers.bad.permissions | an abstract socket name has no file, so permissions (user) cannot apply
					zero backlog               | ipc.servers.bad.transport=tcp,ipc.servers.bad.backlog=0          | ipc.servers.bad.backlog      | must be at least 1, was 0
					negative backlog           | ipc.servers.bad.name=x,ipc.servers.bad.backlog=-5                | ipc.servers.bad.backlog      | must be at least 1, was -5
					negative receive-buffer-size | ipc.servers.bad.transport=tcp,ipc.servers.bad.receive-buffer-size=-1KB | ipc.servers.bad.receive-buffer-size | must be between 1B and 2047MB
					zero send-buffer-size      | ipc.servers.bad.transport=tcp,ipc.servers.bad.send-buffer-size=0B | ipc.servers.bad.send-buffer-size | must be between 1B and 2047MB
					huge send-buffer-size      | ipc.servers.bad.transport=tcp,ipc.servers.bad.send-buffer-size=4GB | ipc.servers.bad.send-buffer-size | must be between 1B and 2047MB
					activation-name with colon | ipc.servers.bad.transport=tcp,ipc.servers.bad.activation=optional,ipc.servers.bad.activation-name=a:b | ipc.servers.bad.activation-name | 'a:b' cannot be a systemd socket name
					systemd-socket with colon  | ipc.servers.bad.transport=tcp,ipc.servers.bad.systemd-socket=a:b | ipc.servers.bad.systemd-socket | 'a:b' cannot be a systemd socket name
					systemd-socket with activation none | ipc.servers.bad.transport=tcp,ipc.servers.bad.systemd-socket=orders,ipc.servers.bad.activation=none | ipc.servers.bad.systemd-socket | but activation is none
					systemd-socket against activation-name | ipc.servers.bad.transport=tcp,ipc.servers.bad.systemd-socket=orders,ipc.servers.bad.activation-name=other | ipc.servers.bad.activation-name | contradicts systemd-socket 'orders'
					systemd-socket required, none passed | ipc.servers.bad.transport=tcp,ipc.servers.bad.systemd-socket=orders,ipc.servers.bad.activation=required | ipc.servers.bad.activation | activation is required but systemd passed no socket named 'orders'
					multicast-group on tcp     | ipc.servers.bad.transport=tcp,ipc.servers.bad.multicast-group=239.1.2.3 | ipc.servers.bad.multicast-group | applies only to transport: udp
					multicast-interface on local | ipc.servers.bad.name=x,ipc.servers.bad.multicast-interface=lo | ipc.servers.bad.multicast-interface | applies only to transport: udp
					activation required, none passed | ipc.servers.bad.transport=tcp,ipc.servers.bad.activation=required | ipc.servers.bad.activation | activation is required but systemd passed no socket named 'bad'
					""")
	void invalidServerFailsStartUpNamingThePropertyAndTheFix(String description, String properties, String property,
			String problem) {
		this.runner.withPropertyValues(properties.split(",")).run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = new IpcConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis).isNotNull();
			assertThat(analysis.getDescription()).contains("Property: " + property).contains(problem);
			assertThat(analysis.getAction()).isNotBlank();
		});
	}

	@Test
	void unknownFramingFailsBindingNamingTheProperty() {
		this.runner.withPropertyValues("ipc.servers.bad.name=x", "ipc.servers.bad.framing=morse").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("morse");
			assertThat(context.getStartupFailure()).hasStackTraceContaining("ipc.servers.bad.framing");
		});
	}

	@Test
	void serverNameIsResolvedInTheTempDirectoryLikeQt() {
		this.runner.withPropertyValues("ipc.servers.qt.name=ipc-test-" + ProcessHandle.current().pid())
			.run((context) -> {
				String tmp = System.getenv().getOrDefault("TMPDIR", "/tmp");
				assertThat(context.getBean(SocketServers.class).get("qt").address()).isEqualTo(
						Path.of(tmp.isEmpty() ? "/tmp" : tmp, "ipc-test-" + ProcessHandle.current().pid()).toString());
			});
	}

	@Test
	void tcpServerListensOnLoopbackByDefault() {
		this.runner.withPropertyValues("ipc.servers.t.transport=tcp").run((context) -> {
			assertThat(context.getBean(SocketServers.class).get("t").address()).startsWith("127.0.0.1:");
			assertThat(context.getEnvironment().getProperty("local.ipc.server.t.port", Integer.class)).isPositive();
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "local", "tcp", "udp", "shm" })
	void secondListenerOnOneServerFailsStartUpNamingBothMethods(String transport) {
		this.runner.withBean(TwoListeners.class)
			.withPropertyValues("ipc.servers.one.transport=" + transport,
					"ipc.servers.one." + (transport.equals("tcp") || transport.equals("udp") ? "port=0"
							: "path=" + this.dir.resolve("one.sock")))
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new IpcConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("Property: ipc.servers.one")
					.contains("TwoListeners.first")
					.contains("TwoListeners.second");
			});
	}

	static class TwoListeners {

		@IpcListener("one")
		String first(String payload) {
			return payload;
		}

		@IpcListener("one")
		String second(String payload) {
			return payload;
		}

	}

	@Test
	void socketFacilitySwitchesOffWithEnabledFalse() {
		this.runner.withPropertyValues("ipc.socket.enabled=false", "ipc.servers.t.transport=tcp")
			.run((context) -> assertThat(context).doesNotHaveBean(SocketServers.class));
	}

	@Test
	void userDefinedServersBeanBacksOff() {
		this.runner.withBean("mine", SocketServers.class, () -> new SocketServers(java.util.List.of()))
			.withPropertyValues("ipc.servers.t.transport=tcp")
			.run((context) -> assertThat(context).getBean(SocketServers.class).isSameAs(context.getBean("mine")));
	}

}
