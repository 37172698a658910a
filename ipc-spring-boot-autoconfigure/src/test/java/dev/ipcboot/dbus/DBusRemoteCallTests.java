package dev.ipcboot.dbus;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.freedesktop.dbus.types.UInt32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.ipcboot.autoconfigure.DBusAutoConfiguration;
import dev.ipcboot.autoconfigure.IpcListenerAutoConfiguration;
import dev.ipcboot.autoconfigure.IpcMetricsAutoConfiguration;
import dev.ipcboot.dbus.internal.PrivateBusDaemon;
import dev.ipcboot.testsupport.OurThreads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The starter calls a service written in Python (python3-dbus) through typed proxies and
 * untyped calls, and gets D-Bus errors, timeouts and file descriptors right.
 */
class DBusRemoteCallTests {

	private static final String NAME = "dev.ipcboot.test.PythonPeer";

	@TempDir
	static Path directory;

	private static PrivateBusDaemon daemon;

	private static PythonPeer peer;

	private static ConfigurableApplicationContext context;

	private static DBusTemplate template;

	@BeforeAll
	static void start() throws Exception {
		daemon = PrivateBusDaemon.start(directory);
		peer = PythonPeer.start(daemon.address(), NAME);
		context = TestApps.start(App.class, "ipc.dbus.bus=" + daemon.address(), "ipc.dbus.call-timeout=2s");
		template = context.getBean(DBusTemplate.class);
	}

	@AfterAll
	static void stop() throws Exception {
		if (context != null) {
			context.close();
		}
		peer.close();
		daemon.close();
	}

	@Test
	void typedProxyCallsThePythonService() {
		Peer remote = template.remote(NAME, PythonPeer.PATH, Peer.class);
		assertThat(remote.Echo("hello")).isEqualTo("echo:hello");
		assertThat(remote.Add(40, 2)).isEqualTo(42);
		assertThat(remote.getObjectPath()).isEqualTo(PythonPeer.PATH);
	}

	@Test
	void untypedCallPassesArgumentsAndReturnsTheReply() {
		DBusReply reply = template.call(NAME, PythonPeer.PATH, PythonPeer.INTERFACE, "Add", "ii", 5, 6);
		assertThat(reply.signature()).isEqualTo("i");
		assertThat(reply.get(0, Integer.class)).isEqualTo(11);
		assertThat(template.call(NAME, PythonPeer.PATH, PythonPeer.INTERFACE, "Echo", "s", "x").get(0))
			.isEqualTo("echo:x");
	}

	@Test
	void errorRaisedByThePeerArrivesWithItsErrorNameAndMessage() {
		Peer remote = template.remote(NAME, PythonPeer.PATH, Peer.class);
		assertThatExceptionOfType(DBusCallException.class).isThrownBy(() -> remote.Refuse("closed today"))
			.satisfies((ex) -> assertThat(ex.errorName()).isEqualTo("dev.ipcboot.test.Error.Refused"))
			.withMessageContaining("closed today");
		assertThatExceptionOfType(DBusCallException.class)
			.isThrownBy(() -> template.call(NAME, PythonPeer.PATH, PythonPeer.INTERFACE, "Refuse", "s", "no"))
			.satisfies((ex) -> assertThat(ex.errorName()).isEqualTo("dev.ipcboot.test.Error.Refused"));
	}

	@Test
	void callToAMissingServiceFailsWithServiceUnknown() {
		Peer missing = template.remote("dev.ipcboot.test.Nobody", PythonPeer.PATH, Peer.class);
		// proxies ask the bus to start the service, which is not activatable
		assertThatExceptionOfType(DBusCallException.class).isThrownBy(() -> missing.Echo("anyone?"))
			.satisfies((ex) -> assertThat(ex.errorName()).isEqualTo("org.freedesktop.DBus.Error.ServiceUnknown"))
			.withMessageContaining("dev.ipcboot.test.Nobody");
		assertThatExceptionOfType(DBusCallException.class)
			.isThrownBy(() -> template.call("dev.ipcboot.test.Nobody", "/", "a.B", "C", ""))
			.satisfies((ex) -> assertThat(ex.errorName()).isEqualTo("org.freedesktop.DBus.Error.ServiceUnknown"));
	}

	@Test
	void callOverItsTimeoutFailsWithATimeoutExceptionInTime() {
		// which timeout applied is the exception's (300 ms, not the context's 2 s); the
		// clock
		// only tells "at the timeout" from "when the peer finally answers", a minute
		// later,
		// with room for a loaded machine
		Peer slow = template.withTimeout(Duration.ofMillis(300)).remote(NAME, PythonPeer.PATH, Peer.class);
		long started = System.nanoTime();
		assertThatExceptionOfType(DBusCallTimeoutException.class).isThrownBy(() -> slow.Stall(new UInt32(60_000)))
			.satisfies((ex) -> assertThat(ex.errorName()).isEqualTo(DBusCallTimeoutException.NO_REPLY))
			.satisfies((ex) -> assertThat(ex.timeout()).isEqualTo(Duration.ofMillis(300)));
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
		started = System.nanoTime();
		assertThatExceptionOfType(DBusCallTimeoutException.class)
			.isThrownBy(() -> template.withTimeout(Duration.ofMillis(300))
				.call(NAME, PythonPeer.PATH, PythonPeer.INTERFACE, "Stall", "u", 60_000L))
			.satisfies((ex) -> assertThat(ex.timeout()).isEqualTo(Duration.ofMillis(300)));
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
	}

	@Test
	void fileDescriptorInAReplyIsHandedOutAndReleasedOnClose() throws Exception {
		try (DBusTemplate own = DBusTemplate.connect(daemon.address())) {
			DBusReply reply = own.call(NAME, PythonPeer.PATH, PythonPeer.INTERFACE, "OpenPipe", "");
			assertThat(reply.signature()).isEqualTo("h");
			DBusFileDescriptor fd = reply.fileDescriptor(0);
			assertThat(Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd.fd())).toString()).startsWith("pipe:");
			assertThat(pipeClosed(own)).isFalse();
			fd.close();
			assertThat(fd.isOpen()).isFalse();
			assertThat(pipeClosed(own)).isTrue();
			assertThat(Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd.fd())).toString()).isEqualTo("/dev/null");
			fd.close();
		}
	}

	@Test
	void standaloneTemplateSubscribesToSignalsAndLeavesNoThreadAfterClose() throws Exception {
		List<DBusSignalMessage> received = new CopyOnWriteArrayList<>();
		try (DBusTemplate own = DBusTemplate.connect(daemon.address())) {
			own.subscribe(DBusSignalRule.of(PythonPeer.INTERFACE, "Changed").withPath(PythonPeer.PATH).withSender(NAME),
					received::add);
			own.call(NAME, PythonPeer.PATH, PythonPeer.INTERFACE, "EmitChanged", "bs", true, "standalone");
			await().atMost(Duration.ofSeconds(5)).until(() -> !received.isEmpty());
		}
		assertThat(received.get(0).args()).containsExactly(true, "standalone");
		assertThat(received.get(0).sender()).isEqualTo(peer.uniqueName());
		await().atMost(Duration.ofSeconds(5)).until(() -> OurThreads.alive("ipc-dbus-dbus-unix").isEmpty());
	}

	private static boolean pipeClosed(DBusTemplate own) {
		return own.call(NAME, PythonPeer.PATH, PythonPeer.INTERFACE, "PipeClosed", "").get(0, Boolean.class);
	}

	@Test
	void typedProxyAndUntypedCallsAreTimedByMemberAndOutcome() {
		SimpleMeterRegistry registry = context.getBean(SimpleMeterRegistry.class);
		long echoes = outgoingCalls(registry, "Echo", "success");
		long refusals = outgoingCalls(registry, "Refuse", "error");
		long adds = outgoingCalls(registry, "Add", "success");
		Peer remote = template.remote(NAME, PythonPeer.PATH, Peer.class);
		remote.Echo("one");
		remote.Echo("two");
		assertThatExceptionOfType(DBusCallException.class).isThrownBy(() -> remote.Refuse("timed"));
		template.call(NAME, PythonPeer.PATH, PythonPeer.INTERFACE, "Add", "ii", 1, 2);
		assertThat(outgoingCalls(registry, "Echo", "success")).isEqualTo(echoes + 2);
		assertThat(outgoingCalls(registry, "Refuse", "error")).isEqualTo(refusals + 1);
		assertThat(outgoingCalls(registry, "Add", "success")).isEqualTo(adds + 1);
	}

	private static long outgoingCalls(SimpleMeterRegistry registry, String member, String outcome) {
		Timer timer = registry.find("ipc.dbus.calls")
			.tags("interface", PythonPeer.INTERFACE, "member", member, "direction", "out", "outcome", outcome)
			.timer();
		return (timer != null) ? timer.count() : 0;
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ IpcListenerAutoConfiguration.class, IpcMetricsAutoConfiguration.class,
			DBusAutoConfiguration.class })
	static class App {

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

}
