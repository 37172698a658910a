package dev.ipcboot.dbus;

import org.junit.jupiter.api.Test;

import dev.ipcboot.IpcConfigurationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * How the {@code bus} setting becomes an address, and how a missing bus is reported.
 */
class BusAddressesTests {

	private final DBusSettings settings = DBusSettings.of("dbus", "ipc.dbus", "session");

	@Test
	void missingSessionBusFailsNamingThePropertyAndTheWayOut() {
		assertThatExceptionOfType(IpcConfigurationException.class)
			.isThrownBy(() -> BusAddresses.session(this.settings, null))
			.satisfies((ex) -> {
				assertThat(ex.getProperty()).isEqualTo("ipc.dbus.bus");
				assertThat(ex.getMessage()).contains("DBUS_SESSION_BUS_ADDRESS");
				assertThat(ex.getAction()).contains("private");
			});
	}

	@Test
	void sessionBusComesFromTheEnvironment() {
		assertThat(BusAddresses.session(this.settings, "unix:path=/run/user/1000/bus"))
			.isEqualTo("unix:path=/run/user/1000/bus");
	}

	@Test
	void systemBusAddressFromTheEnvironmentWins() {
		assertThat(BusAddresses.system(this.settings, "unix:path=/tmp/system")).isEqualTo("unix:path=/tmp/system");
	}

	@Test
	void explicitAddressLosesItsGuidSoThatARestartedDaemonIsAccepted() {
		DBusSettings explicit = DBusSettings.of("dbus", "ipc.dbus", "unix:path=/tmp/x/bus,guid=0123abcd");
		assertThat(BusAddresses.resolve(explicit, () -> "unused")).isEqualTo("unix:path=/tmp/x/bus");
	}

	@Test
	void signatureSplitsIntoCompleteTypes() {
		assertThat(UntypedArguments.split("sa{sv}u(ii)ah")).containsExactly("s", "a{sv}", "u", "(ii)", "ah");
	}

	@Test
	void argumentCountThatDoesNotFitTheSignatureIsRejected() {
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> UntypedArguments.convert("ss", new Object[] { "one" }))
			.withMessageContaining("'ss' has 2 arguments but 1 were given");
	}

}
