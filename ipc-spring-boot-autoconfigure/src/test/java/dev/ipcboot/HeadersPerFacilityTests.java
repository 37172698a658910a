package dev.ipcboot;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.ipcboot.dbus.DBusHeaders;
import dev.ipcboot.listener.IpcHeaders;
import dev.ipcboot.process.ProcessHeaders;
import dev.ipcboot.socket.SocketHeaders;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 19 part 3 / ADR 0018: every header is declared by the facility that sets it,
 * {@link IpcHeaders} keeps the common one, and its former facility constants (SPEC §2 and
 * §9 name them) are deprecated aliases with the same values, so listeners written against
 * them keep working.
 */
@SuppressWarnings("deprecation")
class HeadersPerFacilityTests {

	@Test
	void deprecatedIpcHeadersConstantsHaveTheValuesOfTheFacilityConstants() {
		assertThat(IpcHeaders.CONNECTION_ID).isEqualTo(SocketHeaders.CONNECTION_ID);
		assertThat(IpcHeaders.PEER_PID).isEqualTo(SocketHeaders.PEER_PID);
		assertThat(IpcHeaders.PEER_UID).isEqualTo(SocketHeaders.PEER_UID);
		assertThat(IpcHeaders.PEER_GID).isEqualTo(SocketHeaders.PEER_GID);
		assertThat(IpcHeaders.REMOTE_ADDRESS).isEqualTo(SocketHeaders.REMOTE_ADDRESS);
		assertThat(IpcHeaders.PEER_CERTIFICATE_SUBJECT).isEqualTo(SocketHeaders.PEER_CERTIFICATE_SUBJECT);
		assertThat(IpcHeaders.PEER_CERTIFICATES).isEqualTo(SocketHeaders.PEER_CERTIFICATES);
		assertThat(IpcHeaders.DBUS_SENDER).isEqualTo(DBusHeaders.SENDER);
		assertThat(IpcHeaders.DBUS_PATH).isEqualTo(DBusHeaders.PATH);
		assertThat(IpcHeaders.DBUS_INTERFACE).isEqualTo(DBusHeaders.INTERFACE);
		assertThat(IpcHeaders.DBUS_MEMBER).isEqualTo(DBusHeaders.MEMBER);
		assertThat(IpcHeaders.PROCESS_NAME).isEqualTo(ProcessHeaders.NAME);
		assertThat(IpcHeaders.PROCESS_STREAM).isEqualTo(ProcessHeaders.STREAM);
	}

	@Test
	void onlyTheChannelHeaderIsNotDeprecatedInIpcHeaders() {
		List<String> current = new ArrayList<>();
		for (Field field : IpcHeaders.class.getFields()) {
			if (Modifier.isStatic(field.getModifiers()) && !field.isAnnotationPresent(Deprecated.class)) {
				current.add(field.getName());
			}
		}
		assertThat(current).containsExactly("CHANNEL");
	}

	@Test
	void everyStarterHeaderHasTheCommonPrefixSoThatListenerChecksSeeIt() {
		for (Class<?> type : List.of(IpcHeaders.class, SocketHeaders.class, DBusHeaders.class, ProcessHeaders.class)) {
			for (Field field : type.getFields()) {
				if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
					assertThat(constant(field)).as(type.getSimpleName() + "." + field.getName()).startsWith("ipc_");
				}
			}
		}
	}

	private static String constant(Field field) {
		try {
			return (String) field.get(null);
		}
		catch (IllegalAccessException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
