package dev.ipcboot.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which libraries {@link IpcBackgroundPreinitializer} loads ahead: only those of
 * configured facilities.
 */
class IpcBackgroundPreinitializerTests {

	@Test
	void nothingConfiguredLoadsNothingAhead() {
		MockEnvironment environment = new MockEnvironment().withProperty("ipc.dbus.enabled", "true")
			.withProperty("ipc.session.commit-timeout", "5s");
		assertThat(IpcBackgroundPreinitializer.classesToInitialize(environment)).isEmpty();
	}

	@Test
	void eachConfiguredFacilityLoadsItsLibraryAhead() {
		assertThat(IpcBackgroundPreinitializer
			.classesToInitialize(new MockEnvironment().withProperty("ipc.semaphores.jobs.key", "jobs")))
			.containsExactly("com.sun.jna.Native");
		assertThat(IpcBackgroundPreinitializer
			.classesToInitialize(new MockEnvironment().withProperty("ipc.servers.orders.path", "/tmp/x.sock")))
			.contains("io.netty.channel.epoll.Epoll");
		assertThat(IpcBackgroundPreinitializer
			.classesToInitialize(new MockEnvironment().withProperty("ipc.dbus.bus", "private")))
			.containsExactly("org.freedesktop.dbus.connections.impl.DBusConnection");
	}

}
