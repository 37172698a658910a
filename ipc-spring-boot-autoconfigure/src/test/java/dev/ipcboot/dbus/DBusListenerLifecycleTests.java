package dev.ipcboot.dbus;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.integration.channel.QueueChannel;
import org.springframework.integration.config.EnableIntegration;
import org.springframework.integration.dsl.IntegrationFlow;
import org.springframework.messaging.Message;
import org.springframework.messaging.PollableChannel;

import dev.ipcboot.autoconfigure.DBusAutoConfiguration;
import dev.ipcboot.autoconfigure.IpcListenerAutoConfiguration;
import dev.ipcboot.dbus.internal.PrivateBusDaemon;
import dev.ipcboot.integration.IpcIntegration;
import dev.ipcboot.listener.IpcListener;
import dev.ipcboot.listener.IpcListenerEndpointRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A D-Bus signal listener stopped, paused and resumed through the
 * {@link IpcListenerEndpointRegistry}, on a private bus daemon: paused, it buffers the
 * signals (they still arrive, as their events show) and gets them in order on resume;
 * stopped, the subscription ends and the bus sends nothing.
 */
class DBusListenerLifecycleTests {

	@TempDir
	static Path directory;

	private static PrivateBusDaemon daemon;

	private static ConfigurableApplicationContext context;

	private static Ticks ticks;

	private static IpcListenerEndpointRegistry registry;

	@BeforeAll
	static void start() {
		daemon = PrivateBusDaemon.start(directory);
		context = TestApps.start(App.class, "ipc.dbus.bus=" + daemon.address(),
				"ipc.dbus.signals.ticks.interface=dev.ipcboot.test.Clock", "ipc.dbus.signals.ticks.member=Tick",
				"ipc.dbus.signals.alarms.interface=dev.ipcboot.test.Clock", "ipc.dbus.signals.alarms.member=Alarm");
		ticks = context.getBean(Ticks.class);
		registry = context.getBean(IpcListenerEndpointRegistry.class);
	}

	@AfterAll
	static void stop() {
		if (context != null) {
			context.close();
		}
		daemon.close();
	}

	@BeforeEach
	void clear() {
		registry.start("ticks");
		registry.resume("ticks");
		ticks.received.clear();
		ticks.events.clear();
	}

	private static void emit(String text) throws Exception {
		Commands.Result result = Commands.gdbusEmit(daemon.address(), "--object-path", "/clock", "--signal",
				"dev.ipcboot.test.Clock.Tick", "'" + text + "'");
		assertThat(result.exitCode()).as(result.output()).isZero();
	}

	@Test
	void pausedListenerBuffersSignalsAndGetsThemInOrderOnResume() throws Exception {
		emit("before");
		await().until(() -> ticks.received.equals(List.of("before")));
		registry.pause("ticks");
		assertThat(registry.isPaused("ticks")).isTrue();
		emit("one");
		emit("two");
		emit("three");
		// the signals arrived (their events are published) but the listener got none
		await().atMost(Duration.ofSeconds(5)).until(() -> ticks.events.size() == 4);
		assertThat(ticks.received).containsExactly("before");
		registry.resume("ticks");
		await().until(() -> ticks.received.equals(List.of("before", "one", "two", "three")));
	}

	@Test
	void stoppedListenerUnsubscribesSoTheBusSendsNothingUntilItStartsAgain() throws Exception {
		registry.stop("ticks");
		assertThat(registry.isRunning("ticks")).isFalse();
		emit("while stopped");
		registry.start("ticks");
		emit("after start");
		await().until(() -> ticks.received.contains("after start"));
		// one sender's signals arrive in order: had the first been sent to us, it would
		// be first
		assertThat(ticks.received).containsExactly("after start");
		assertThat(ticks.events).containsExactly("after start");
	}

	@Test
	void signalFlowsIntoAnIntegrationFlowWithItsArgumentsAndHeaders() throws Exception {
		Commands.Result result = Commands.gdbusEmit(daemon.address(), "--object-path", "/clock", "--signal",
				"dev.ipcboot.test.Clock.Alarm", "'wake up'", "7");
		assertThat(result.exitCode()).as(result.output()).isZero();
		Message<?> alarm = context.getBean("alarmQueue", PollableChannel.class).receive(5000);
		assertThat(alarm).isNotNull();
		assertThat((Object[]) alarm.getPayload()).containsExactly("wake up", 7);
		assertThat(alarm.getHeaders().get(DBusHeaders.MEMBER)).isEqualTo("Alarm");
		assertThat(registry.ids()).anySatisfy((id) -> assertThat(id).startsWith("alarmsFlow"));
	}

	static class Ticks {

		final List<String> received = new CopyOnWriteArrayList<>();

		final List<String> events = new CopyOnWriteArrayList<>();

		@IpcListener(value = "ticks", id = "ticks")
		void tick(String text) {
			this.received.add(text);
		}

		@EventListener
		void on(DBusSignalEvent event) {
			// the class's other test emits an Alarm: its event may be published after
			// that
			// test's queue got the message, so after the next test cleared the list
			if ("Tick".equals(event.signal().member())) {
				this.events.add((String) event.signal().args()[0]);
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ IpcListenerAutoConfiguration.class, DBusAutoConfiguration.class })
	@EnableIntegration
	static class App {

		@Bean
		QueueChannel alarmQueue() {
			return new QueueChannel();
		}

		@Bean
		IntegrationFlow alarmsFlow() {
			return IntegrationFlow.from(IpcIntegration.inboundAdapter("alarms")).channel("alarmQueue").get();
		}

		@Bean
		Ticks ticks() {
			return new Ticks();
		}

	}

}
