package dev.ipcboot.dbus;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.ipcboot.IpcConfigurationException;
import dev.ipcboot.dbus.internal.PrivateBusDaemon;
import dev.ipcboot.testsupport.OurThreads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@link BusConnection#prepare()}: the private daemon and the first connection are built
 * on a thread of their own before {@code connect()}, which then uses them; failures
 * surface in {@code connect()} exactly as without preparing; closing leaves nothing
 * behind whether or not the preparation was used.
 */
class BusConnectionPreparationTests {

	@TempDir
	Path directory;

	@Test
	void preparedPrivateBusIsStartedBeforeConnectUsedByItAndGoneAfterClose() throws Exception {
		BusConnection connection = new BusConnection(DBusSettings.of("prepared", "ipc.test", "private"), (event) -> {
		});
		try {
			connection.prepare();
			// the daemon appears without anyone connecting: it was started in the
			// background
			await().atMost(Duration.ofSeconds(10)).until(() -> !daemonChildren().isEmpty());
			assertThat(connection.state()).isEqualTo(BusConnection.State.NOT_CONNECTED);
			connection.connect();
			PrivateBusDaemon daemon = connection.privateDaemon();
			assertThat(daemon).isNotNull();
			assertThat(daemonChildren()).containsExactly(daemon.pid());
			assertThat(PythonPeer.busctlList(daemon.address())).contains(connection.uniqueName());
		}
		finally {
			connection.close();
		}
		assertThat(daemonChildren()).isEmpty();
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			assertThat(OurThreads.alive("ipc-")).isEmpty();
			assertThat(OurThreads.alive("DBus")).isEmpty();
		});
	}

	@Test
	void preparedConnectionThatIsNeverUsedLeavesNoDaemonNoConnectionNoThreadAfterClose() {
		BusConnection connection = new BusConnection(DBusSettings.of("unused", "ipc.test", "private"), (event) -> {
		});
		connection.prepare();
		await().atMost(Duration.ofSeconds(10)).until(() -> !daemonChildren().isEmpty());
		connection.close();
		assertThat(daemonChildren()).isEmpty();
		assertThat(connection.state()).isEqualTo(BusConnection.State.CLOSED);
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			assertThat(OurThreads.alive("ipc-")).isEmpty();
			assertThat(OurThreads.alive("DBus")).isEmpty();
		});
	}

	@Test
	void unreachableBusPreparedInTheBackgroundFailsConnectWithTheSameMessageAsWithout() {
		String address = "unix:path=" + this.directory.resolve("nobody-here");
		String unprepared = connectFailure(address).getMessage();
		BusConnection connection = new BusConnection(DBusSettings.of("unreachable", "ipc.test", address), (event) -> {
		});
		try {
			connection.prepare();
			IpcConfigurationException first = catchThrowableOfType(IpcConfigurationException.class,
					connection::connect);
			assertThat(first.getMessage()).isEqualTo(unprepared).contains("ipc.test.bus").contains("nobody-here");
			// the next attempt connects afresh rather than replaying the prepared failure
			IpcConfigurationException second = catchThrowableOfType(IpcConfigurationException.class,
					connection::connect);
			assertThat(second).isNotSameAs(first);
			assertThat(second.getMessage()).isEqualTo(unprepared);
		}
		finally {
			connection.close();
		}
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(OurThreads.alive("ipc-")).isEmpty());
	}

	@Test
	void busThatIsNeitherAKeywordNorAnAddressFailsConnectAfterPreparingNamingTheProperty() {
		BusConnection connection = new BusConnection(DBusSettings.of("typo", "ipc.test", "sesion"), (event) -> {
		});
		try {
			connection.prepare();
			IpcConfigurationException failure = catchThrowableOfType(IpcConfigurationException.class,
					connection::connect);
			assertThat(failure.getMessage()).isEqualTo(connectFailure("sesion").getMessage())
				.contains("ipc.test.bus")
				.contains("'sesion'");
		}
		finally {
			connection.close();
		}
	}

	// what connect() throws without preparing
	private static IpcConfigurationException connectFailure(String bus) {
		BusConnection connection = new BusConnection(DBusSettings.of("plain", "ipc.test", bus), (event) -> {
		});
		try {
			return catchThrowableOfType(IpcConfigurationException.class, connection::connect);
		}
		finally {
			connection.close();
		}
	}

	private static List<Long> daemonChildren() {
		return ProcessHandle.current()
			.children()
			.filter(ProcessHandle::isAlive)
			.filter((child) -> child.info().command().map((command) -> command.endsWith("dbus-daemon")).orElse(false))
			.map(ProcessHandle::pid)
			.toList();
	}

}
