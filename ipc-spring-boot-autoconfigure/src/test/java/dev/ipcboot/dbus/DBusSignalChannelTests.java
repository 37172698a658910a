package dev.ipcboot.dbus;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.annotation.Header;

import dev.ipcboot.autoconfigure.DBusAutoConfiguration;
import dev.ipcboot.autoconfigure.IpcListenerAutoConfiguration;
import dev.ipcboot.autoconfigure.IpcMetricsAutoConfiguration;
import dev.ipcboot.dbus.internal.PrivateBusDaemon;
import dev.ipcboot.listener.IpcHeaders;
import dev.ipcboot.listener.IpcListener;
import dev.ipcboot.listener.ListenerFailedEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Signals subscribed in {@code ipc.dbus.signals} reach {@code @IpcListener} methods with
 * their arguments bound in order, and are published as {@link DBusSignalEvent}s.
 */
class DBusSignalChannelTests {

	private static final String EMITTER = "dev.ipcboot.test.Emitter";

	@TempDir
	static Path directory;

	private static PrivateBusDaemon daemon;

	private static ConfigurableApplicationContext context;

	private static Listeners listeners;

	@BeforeAll
	static void start() {
		daemon = PrivateBusDaemon.start(directory);
		context = TestApps.start(App.class, "ipc.dbus.bus=" + daemon.address(),
				"ipc.dbus.signals.changed.interface=dev.ipcboot.test.Peer", "ipc.dbus.signals.changed.member=Changed",
				"ipc.dbus.signals.placed.interface=dev.ipcboot.test.Desk", "ipc.dbus.signals.placed.member=OrderPlaced",
				"ipc.dbus.signals.placed.path=/dev/ipcboot/Desk",
				"ipc.dbus.signals.slow.interface=dev.ipcboot.test.Slow", "ipc.dbus.signals.slow.member=Tick",
				"ipc.dbus.signals.emitter.interface=dev.ipcboot.test.Peer", "ipc.dbus.signals.emitter.member=Changed",
				"ipc.dbus.signals.emitter.sender=" + EMITTER,
				"ipc.dbus.signals.counts.interface=dev.ipcboot.test.Counter", "ipc.dbus.signals.counts.member=Count",
				"ipc.dbus.signals.props.interface=dev.ipcboot.test.Props", "ipc.dbus.signals.props.member=Changed");
		listeners = context.getBean(Listeners.class);
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
		listeners.changed.clear();
		listeners.placed.clear();
		listeners.events.clear();
	}

	@Test
	void signalFromGdbusEmitReachesTheListenerWithArgumentsBoundAndAnEvent() throws Exception {
		Commands.Result result = Commands.gdbusEmit(daemon.address(), "--object-path", "/anywhere", "--signal",
				"dev.ipcboot.test.Peer.Changed", "true", "'from gdbus'");
		assertThat(result.exitCode()).as(result.output()).isZero();
		await().atMost(Duration.ofSeconds(5)).until(() -> listeners.changed.contains("true from gdbus"));
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(listeners.events).anySatisfy((event) -> {
			assertThat(event.resourceName()).isEqualTo("changed");
			assertThat(event.signal().member()).isEqualTo("Changed");
			assertThat(event.signal().path()).isEqualTo("/anywhere");
			assertThat(event.signal().args()).containsExactly(true, "from gdbus");
		}));
	}

	@Test
	void variantsAndObjectPathsInsideADictionaryAndAnArrayArriveAsPlainJavaValues() throws Exception {
		listeners.props.clear();
		Commands.Result result = Commands.gdbusEmit(daemon.address(), "--object-path", "/anywhere", "--signal",
				"dev.ipcboot.test.Props.Changed", "'dev.ipcboot.test.Desk'",
				"{'count': <42>, 'name': <'desk'>, 'where': <objectpath '/dev/ipcboot/Desk'>,"
						+ " 'nested': <{'open': <true>}>, 'list': <[<'a'>, <7>]>}",
				"[objectpath '/gone']");
		assertThat(result.exitCode()).as(result.output()).isZero();
		await().atMost(Duration.ofSeconds(5)).until(() -> !listeners.props.isEmpty());
		Object[] received = listeners.props.get(0);
		assertThat(received[0]).isEqualTo("dev.ipcboot.test.Desk");
		Map<String, Object> expected = new LinkedHashMap<>();
		expected.put("count", 42);
		expected.put("name", "desk");
		expected.put("where", "/dev/ipcboot/Desk");
		expected.put("nested", Map.of("open", true));
		expected.put("list", List.of("a", 7));
		assertThat(received[1]).isEqualTo(expected);
		assertThat(received[2]).isEqualTo(List.of("/gone"));
	}

	@Test
	void signalFromAPythonServiceReachesTheListenerWithItsSender() throws Exception {
		try (PythonPeer peer = PythonPeer.start(daemon.address())) {
			context.getBean(DBusTemplate.class)
				.call(peer.uniqueName(), PythonPeer.PATH, PythonPeer.INTERFACE, "EmitChanged", "bs", false, "py");
			await().atMost(Duration.ofSeconds(5)).until(() -> listeners.changed.contains("false py"));
			assertThat(listeners.senders).contains(peer.uniqueName());
		}
	}

	@Test
	void ruleWithAWellKnownSenderReceivesOnlyThatSendersSignals() throws Exception {
		listeners.fromEmitter.clear();
		DBusTemplate template = context.getBean(DBusTemplate.class);
		template.emit("/anywhere", "dev.ipcboot.test.Peer", "Changed", "bs", true, "not from the emitter");
		try (PythonPeer peer = PythonPeer.start(daemon.address(), EMITTER)) {
			template.call(EMITTER, PythonPeer.PATH, PythonPeer.INTERFACE, "EmitChanged", "bs", true, "from emitter");
			await().atMost(Duration.ofSeconds(5)).until(() -> !listeners.fromEmitter.isEmpty());
		}
		assertThat(listeners.fromEmitter).containsExactly("from emitter");
	}

	@Test
	void signalWhoseArgumentsDoNotFitTheListenerIsReportedAndTheSubscriptionCarriesOn() {
		DBusTemplate template = context.getBean(DBusTemplate.class);
		template.emit("/counter", "dev.ipcboot.test.Counter", "Count", "s", "not a number");
		template.emit("/counter", "dev.ipcboot.test.Counter", "Count", "i", -1);
		template.emit("/counter", "dev.ipcboot.test.Counter", "Count", "i", 7);
		await().atMost(Duration.ofSeconds(5)).until(() -> listeners.counts.contains(7));
		assertThat(listeners.counts).containsExactly(7);
		assertThat(listeners.failures).hasSize(2).allSatisfy((failure) -> {
			assertThat(failure.resourceName()).isEqualTo("counts");
			assertThat(failure.listener()).contains("count(int)");
		});
	}

	@Test
	void listenerTakingTheWholeMessageGetsTheArgumentsAndTheDBusHeaders() throws Exception {
		DBusTemplate template = context.getBean(DBusTemplate.class);
		template.emit(new Desk.OrderPlaced(DeskBean.PATH, "scones", 3));
		await().atMost(Duration.ofSeconds(5)).until(() -> !listeners.placed.isEmpty());
		Message<?> message = listeners.placed.get(0);
		assertThat((Object[]) message.getPayload()).containsExactly("scones", 3);
		assertThat(message.getHeaders()).containsEntry(IpcHeaders.CHANNEL, "placed")
			.containsEntry(DBusHeaders.PATH, DeskBean.PATH)
			.containsEntry(DBusHeaders.INTERFACE, "dev.ipcboot.test.Desk")
			.containsEntry(DBusHeaders.MEMBER, "OrderPlaced")
			.containsEntry(DBusHeaders.SENDER, template.connection().uniqueName());
	}

	@Test
	void signalThatDoesNotMatchTheRuleIsNotDelivered() throws Exception {
		DBusTemplate template = context.getBean(DBusTemplate.class);
		template.emit("/elsewhere", "dev.ipcboot.test.Desk", "OrderPlaced", "si", "wrong path", 1);
		template.emit("/anywhere", "dev.ipcboot.test.Peer", "Unchanged", "bs", true, "wrong member");
		Commands.gdbusEmit(daemon.address(), "--object-path", "/anywhere", "--signal", "dev.ipcboot.test.Other.Changed",
				"true", "'wrong interface'");
		template.emit(DeskBean.PATH, "dev.ipcboot.test.Desk", "OrderPlaced", "si", "right", 1);
		template.emit("/anywhere", "dev.ipcboot.test.Peer", "Changed", "bs", true, "right");
		await().atMost(Duration.ofSeconds(5))
			.until(() -> listeners.placed.size() == 1 && listeners.changed.contains("true right"));
		assertThat((Object[]) listeners.placed.get(0).getPayload()).containsExactly("right", 1);
		assertThat(listeners.changed).containsExactly("true right");
		assertThat(listeners.events).extracting((event) -> event.signal().args()[0])
			.doesNotContain("wrong path", "wrong member", "wrong interface");
	}

	@Test
	void slowListenerDoesNotStallOtherSubscriptionsAndEachKeepsItsOrder() throws Exception {
		DBusTemplate template = context.getBean(DBusTemplate.class);
		listeners.slowGate = new CountDownLatch(1);
		listeners.slow.clear();
		for (int i = 0; i < 3; i++) {
			template.emit("/slow", "dev.ipcboot.test.Slow", "Tick", "s", "tick " + i);
		}
		for (int i = 0; i < 50; i++) {
			template.emit("/fast", "dev.ipcboot.test.Peer", "Changed", "bs", true, "n" + i);
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> listeners.changed.size() == 50);
		assertThat(listeners.changed)
			.containsExactlyElementsOf(java.util.stream.IntStream.range(0, 50).mapToObj((i) -> "true n" + i).toList());
		assertThat(listeners.slow).hasSizeLessThanOrEqualTo(1);
		listeners.slowGate.countDown();
		await().atMost(Duration.ofSeconds(5)).until(() -> listeners.slow.size() == 3);
		assertThat(listeners.slow).containsExactly("tick 0", "tick 1", "tick 2");
	}

	@Test
	void receivedSignalsAreCountedWithTheirSizeOnTheWire() {
		SimpleMeterRegistry registry = context.getBean(SimpleMeterRegistry.class);
		double messages = received(registry, "ipc.messages");
		double bytes = received(registry, "ipc.bytes");
		double signals = signalCount(registry);
		String text = "x".repeat(200);
		context.getBean(DBusTemplate.class).emit(DeskBean.PATH, "dev.ipcboot.test.Desk", "OrderPlaced", "si", text, 1);
		await().atMost(Duration.ofSeconds(5)).until(() -> received(registry, "ipc.messages") == messages + 1);
		// the body alone carries the 200-character string; the header adds path,
		// interface, member and sender
		assertThat(received(registry, "ipc.bytes") - bytes).isGreaterThan(200 + 4 + 4 + 60);
		assertThat(signalCount(registry)).isEqualTo(signals + 1);
	}

	private static double received(SimpleMeterRegistry registry, String meter) {
		Counter counter = registry.find(meter)
			.tags("channel", "placed", "transport", "dbus", "direction", "in")
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	private static double signalCount(SimpleMeterRegistry registry) {
		Counter counter = registry.find("ipc.dbus.signals")
			.tags("interface", "dev.ipcboot.test.Desk", "member", "OrderPlaced", "direction", "in")
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	static class Listeners {

		final List<String> changed = new CopyOnWriteArrayList<>();

		final List<String> senders = new CopyOnWriteArrayList<>();

		final List<Message<?>> placed = new CopyOnWriteArrayList<>();

		final List<String> slow = new CopyOnWriteArrayList<>();

		final List<DBusSignalEvent> events = new CopyOnWriteArrayList<>();

		final List<String> fromEmitter = new CopyOnWriteArrayList<>();

		final List<Integer> counts = new CopyOnWriteArrayList<>();

		final List<ListenerFailedEvent> failures = new CopyOnWriteArrayList<>();

		final List<Object[]> props = new CopyOnWriteArrayList<>();

		volatile CountDownLatch slowGate = new CountDownLatch(0);

		@IpcListener("props")
		void props(String iface, Map<String, Object> changed, List<String> gone) {
			this.props.add(new Object[] { iface, changed, gone });
		}

		@IpcListener("changed")
		void changed(boolean flag, String text, @Header(DBusHeaders.SENDER) String sender) {
			this.senders.add(sender);
			this.changed.add(flag + " " + text);
		}

		@IpcListener("emitter")
		void fromEmitter(boolean flag, String text) {
			this.fromEmitter.add(text);
		}

		@IpcListener("counts")
		void count(int count) {
			if (count < 0) {
				throw new IllegalArgumentException("negative count " + count);
			}
			this.counts.add(count);
		}

		@EventListener
		void on(ListenerFailedEvent event) {
			this.failures.add(event);
		}

		@IpcListener("placed")
		void placed(Message<?> message) {
			this.placed.add(message);
		}

		@IpcListener("slow")
		void slow(String text) throws InterruptedException {
			this.slow.add(text);
			this.slowGate.await(10, TimeUnit.SECONDS);
		}

		@EventListener
		void on(DBusSignalEvent event) {
			this.events.add(event);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ IpcListenerAutoConfiguration.class, IpcMetricsAutoConfiguration.class,
			DBusAutoConfiguration.class })
	static class App {

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

		@Bean
		Listeners listeners() {
			return new Listeners();
		}

	}

}
