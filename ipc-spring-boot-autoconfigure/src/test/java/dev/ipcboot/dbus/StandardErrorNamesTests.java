package dev.ipcboot.dbus;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The names error replies leave with; {@link DBusExportTests} shows them reaching
 * {@code gdbus} and {@code dbus-send}.
 */
class StandardErrorNamesTests {

	@Test
	void dbusJavaErrorsGetTheSpecificationsNames() {
		assertThat(StandardErrorNames.standardFor("org.freedesktop.dbus.errors.UnknownMethod"))
			.isEqualTo("org.freedesktop.DBus.Error.UnknownMethod");
		assertThat(StandardErrorNames.standardFor("org.freedesktop.dbus.errors.ServiceUnknown"))
			.isEqualTo("org.freedesktop.DBus.Error.ServiceUnknown");
		assertThat(StandardErrorNames.standardFor("org.freedesktop.dbus.errors.InvalidMethodArgument"))
			.isEqualTo("org.freedesktop.DBus.Error.InvalidArgs");
		assertThat(StandardErrorNames.standardFor("org.freedesktop.dbus.exceptions.DBusExecutionException"))
			.isEqualTo("org.freedesktop.DBus.Error.Failed");
	}

	@Test
	void applicationErrorNamesAndStandardNamesAreKept() {
		assertThat(StandardErrorNames.standardFor("com.example.Desk.Error.SoldOut")).isNull();
		assertThat(StandardErrorNames.standardFor("org.freedesktop.DBus.Error.AccessDenied")).isNull();
		assertThat(StandardErrorNames.standardFor(null)).isNull();
	}

	@Test
	void dbusJavaUsesTheStartersSocketProvider() {
		assertThat(StandardErrorSocketProvider.isChosen()).isTrue();
	}

}
