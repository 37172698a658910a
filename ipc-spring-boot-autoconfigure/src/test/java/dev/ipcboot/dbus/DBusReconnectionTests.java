package dev.ipcboot.dbus;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

import dev.ipcboot.IpcEvent;
import dev.ipcboot.IpcResourceStatus;
import dev.ipcboot.autoconfigure.DBusAutoConfiguration;
import dev.ipcboot.autoconfigure.IpcListenerAutoConfiguration;
import dev.ipcboot.dbus.internal.DBusConnectionResource;
import dev.ipcboot.dbus.internal.PrivateBusDaemon;
import dev.ipcboot.listener.IpcListener;
import dev.ipcboot.testsupport.LogLines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The bus daemon is killed and started again at the same address: the starter reports the
 * loss, reconnects, and restores the service name, the exported bean and the signal
 * subscription.
 */
@ExtendWith(OutputCaptureExtension.class)
class DBusReconnectionTests {

	private static final String NAME = "dev.ipcboot.test.Reconnecting";

	@TempDir
	static Path directory;

	private static PrivateBusDaemon daemon;

	private static ConfigurableApplicationContext context;

	@BeforeAll
	static void start() {
		daemon = PrivateBusDaemon.start(directory);
		context = TestApps.start(App.class, "ipc.dbus.bus=" + daemon.address(), "ipc.dbus.service-name=" + NAME,
				"ipc.dbus.reconnect.initial-backoff=50ms", "ipc.dbus.reconnect.max-backoff=500ms",
				"ipc.dbus.signals.changed.interface=dev.ipcboot.test.Peer", "ipc.dbus.signals.changed.member=Changed");
	}

	@AfterAll
	static void stop() {
		if (context != null) {
			context.close();
		}
		daemon.close();
	}

	@Test
	void afterTheDaemonIsKilledAndRestartedTheBeanIsCallableAndSubscriptionsDeliverAgain(CapturedOutput output)
			throws Exception {
		Recorder recorder = context.getBean(Recorder.class);
		String address = daemon.address();
		assertThat(busctlStatus(address).exitCode()).isZero();

		ProcessHandle.of(daemon.pid()).ifPresent(ProcessHandle::destroyForcibly);
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(recorder.events).hasAtLeastOneElementOfType(DBusDisconnectedEvent.class));
		DBusConnectionResource health = context.getBean(DBusConnectionResource.class);
		assertThat(health.state().status()).isEqualTo(IpcResourceStatus.DOWN);
		DBusTemplate template = context.getBean(DBusTemplate.class);
		assertThatExceptionOfType(DBusCallException.class).isThrownBy(() -> template.connection().uniqueName())
			.satisfies((ex) -> assertThat(ex.errorName()).isEqualTo("org.freedesktop.DBus.Error.Disconnected"));

		// restart, not start: it also ends the killed daemon's watcher, which would
		// otherwise stay this JVM's child until it exits
		PrivateBusDaemon killed = daemon;
		await().atMost(Duration.ofSeconds(10)).until(() -> !killed.isAlive());
		daemon = killed.restart();
		assertThat(daemon.address()).isEqualTo(address);
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			assertThat(recorder.events)
				.anySatisfy((event) -> assertThat(event).isInstanceOfSatisfying(DBusConnectedEvent.class,
						(connected) -> assertThat(connected.isReconnect()).isTrue()));
			Commands.Result status = busctlStatus(address);
			assertThat(status.exitCode()).as(status.output()).isZero();
			assertThat(status.output()).startsWith("s \"open");
		});
		assertThat(recorder.events.stream().map(Object::getClass).toList())
			.containsSubsequence(DBusConnectedEvent.class, DBusDisconnectedEvent.class, DBusConnectedEvent.class);

		Commands.gdbusEmit(address, "--object-path", "/again", "--signal", "dev.ipcboot.test.Peer.Changed", "true",
				"'after reconnect'");
		await().atMost(Duration.ofSeconds(5)).until(() -> recorder.signals.contains("after reconnect"));

		// the loss is reported once, by the starter, and without dbus-java's stack trace.
		// Only lines naming this test's bus (its socket is in a directory of its own) or
		// dbus-java's report of a lost connection count: the output capture takes the
		// whole JVM's lines
		LogLines lines = LogLines.of(output);
		String bus = directory.toString();
		assertThat(lines.mentioning("Lost the D-Bus connection 'dbus'", bus))
			.singleElement(InstanceOfAssertFactories.STRING)
			.contains(" WARN ");
		assertThat(lines.eventsContaining("in connection thread")).isEmpty();
		assertThat(lines.warningsMentioning(bus)).noneMatch((line) -> line.contains(" ERROR "));
	}

	private static Commands.Result busctlStatus(String address) throws Exception {
		return Commands.busctl(address, "call", NAME, DeskBean.PATH, "dev.ipcboot.test.Desk", "Status");
	}

	static class Recorder {

		final List<IpcEvent> events = new CopyOnWriteArrayList<>();

		final List<String> signals = new CopyOnWriteArrayList<>();

		@EventListener({ DBusConnectedEvent.class, DBusDisconnectedEvent.class })
		void on(IpcEvent event) {
			this.events.add(event);
		}

		@IpcListener("changed")
		void changed(boolean flag, String text) {
			this.signals.add(text);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ IpcListenerAutoConfiguration.class, DBusAutoConfiguration.class })
	static class App {

		@Bean
		DeskBean desk() {
			return new DeskBean();
		}

		@Bean
		Recorder recorder() {
			return new Recorder();
		}

	}

}
