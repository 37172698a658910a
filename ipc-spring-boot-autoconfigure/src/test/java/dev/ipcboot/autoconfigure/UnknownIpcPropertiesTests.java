package dev.ipcboot.autoconfigure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.ipcboot.IpcConfigurationException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A newcomer's typos in {@code ipc.*} keys: each fails start-up before anything is bound
 * or spawned, and the failure analysis names the property and the one meant. Keys that
 * are right in any of Boot's relaxed forms, map keys, list indexes, switches of
 * facilities that are off, and what lies below a value (a process's environment) pass.
 */
class UnknownIpcPropertiesTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(IpcListenerAutoConfiguration.class, SocketAutoConfiguration.class,
				ProcessAutoConfiguration.class, SharedMemoryAutoConfiguration.class, DBusAutoConfiguration.class));

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
					ipc.servers.orders.trasport=tcp         | ipc.servers.orders.transport
			ipc.server.orders.port=7000             | ipc.servers.orders.port
			ipc.servers.orders.max-mesage-size=1KB  | ipc.servers.orders.max-message-size
			ipc.dbus.servcie-name=dev.ipcboot.Typo  | ipc.dbus.service-name
			ipc.processes.worker.restrat=always     | ipc.processes.worker.restart
			ipc.shared-memory.board.szie=1KB        | ipc.shared-memory.board.size
			ipc.servers.orders.tls.enabled=true     |
			""")
	void misspeltKeyFailsStartUpNamingItAndTheKeyMeant(String property, String meant) {
		String named = property.split("=", 2)[0];
		this.runner.withPropertyValues("ipc.servers.orders.port=0", "ipc.processes.worker.command=true", property)
			.run((context) -> {
				assertThat(context).hasFailed();
				Throwable failure = context.getStartupFailure();
				IpcConfigurationException cause = rootCause(failure, IpcConfigurationException.class);
				assertThat(cause).as("the failure's cause for " + named).isNotNull();
				assertThat(cause.getProperty()).isEqualTo(named);
				FailureAnalysis analysis = new IpcConfigurationFailureAnalyzer().analyze(failure);
				assertThat(analysis.getDescription()).contains("Property: " + named);
				if (meant != null) {
					assertThat(analysis.getDescription()).contains("did you mean " + meant + "?");
				}
				else {
					assertThat(analysis.getDescription()).doesNotContain("did you mean");
				}
			});
	}

	@Test
	void rightKeysInRelaxedFormsMapKeysListIndexesSwitchesValuesBelowAMapAndTheTestModulesPropertiesPass() {
		this.runner
			.withPropertyValues("ipc.servers.orders.port=0", "ipc.servers.orders.transport=tcp",
					"ipc.servers.orders.maxMessageSize=1KB", "ipc.servers.orders.max_message_size=1KB",
					"ipc.processes.worker.command[0]=true", "ipc.processes.worker.environment.ANY_NAME=x",
					"ipc.processes.worker.environment.other.dotted=y", "ipc.dbus.enabled=false",
					"ipc.dbus.service-name=dev.ipcboot.Off", "ipc.shared-memory.enabled=false",
					"ipc.processes.enabled=true", "ipc.socket.enabled=true", "ipc.test.dir=/tmp/x",
					"ipc.test.bus-address=y")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void anApplicationsOwnNamespaceBelowIpcFarFromEveryFacilityNameIsLeftAlone() {
		this.runner.withPropertyValues("ipc.myapp.retries=3", "ipc.inventory-sync.url=unix:/run/x")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void misspeltKeyGivenAsASystemPropertyFailsStartUpButTheEnginesIoUringSwitchPasses() {
		this.runner.withSystemProperties("ipc.socket.io-uring=false")
			.run((context) -> assertThat(context).hasNotFailed());
		this.runner.withSystemProperties("ipc.servers.orders.trasport=tcp")
			.run((context) -> assertThat(rootCause(context.getStartupFailure(), IpcConfigurationException.class))
				.hasMessageContaining("ipc.servers.orders.trasport"));
	}

	private static <T extends Throwable> T rootCause(Throwable failure, Class<T> type) {
		Throwable current = failure;
		while (current != null) {
			if (type.isInstance(current)) {
				return type.cast(current);
			}
			current = current.getCause();
		}
		return null;
	}

}
