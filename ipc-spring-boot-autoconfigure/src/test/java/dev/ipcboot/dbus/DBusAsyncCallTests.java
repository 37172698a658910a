package dev.ipcboot.dbus;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.freedesktop.dbus.types.UInt32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import dev.ipcboot.autoconfigure.DBusAutoConfiguration;
import dev.ipcboot.autoconfigure.IpcListenerAutoConfiguration;
import dev.ipcboot.dbus.internal.PrivateBusDaemon;
import dev.ipcboot.testsupport.OurThreads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Asynchronous calls to a python3-dbus service: the template's {@code callAsync} and
 * typed proxy methods that return futures, with a slow method pending while other calls
 * on the same connection come and go.
 */
class DBusAsyncCallTests {

	private static final String NAME = "dev.ipcboot.test.AsyncPeer";

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
		context = TestApps.start(App.class, "ipc.dbus.bus=" + daemon.address(), "ipc.dbus.call-timeout=10s");
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
	void slowCallStaysPendingWhileOtherCallsOnTheConnectionComplete() throws Exception {
		CompletableFuture<DBusReply> slow = template.callAsync(NAME, PythonPeer.PATH, PythonPeer.INTERFACE, "Stall",
				"u", 1500L);
		AsyncPeer proxy = template.remote(NAME, PythonPeer.PATH, AsyncPeer.class);
		CompletableFuture<Void> slowProxy = proxy.Stall(new UInt32(1500));
		for (int i = 0; i < 20; i++) {
			assertThat(template.call(NAME, PythonPeer.PATH, PythonPeer.INTERFACE, "Echo", "s", "b" + i).get(0))
				.isEqualTo("echo:b" + i);
			assertThat(proxy.Echo("a" + i).get(5, TimeUnit.SECONDS)).isEqualTo("echo:a" + i);
		}
		assertThat(slow).isNotDone();
		assertThat(slowProxy).isNotDone();
		assertThat(slow.get(10, TimeUnit.SECONDS).size()).isZero();
		assertThat(slowProxy.get(10, TimeUnit.SECONDS)).isNull();
	}

	@Test
	void futureOfATypedProxyCompletesWithTheConvertedReply() throws Exception {
		AsyncPeer proxy = template.remote(NAME, PythonPeer.PATH, AsyncPeer.class);
		assertThat(proxy.Add(40, 2).toCompletableFuture().get(5, TimeUnit.SECONDS)).isEqualTo(42);
		DBusReply reply = template.callAsync(NAME, PythonPeer.PATH, PythonPeer.INTERFACE, "Add", "ii", 5, 6)
			.get(5, TimeUnit.SECONDS);
		assertThat(reply.get(0, Integer.class)).isEqualTo(11);
	}

	@Test
	void futureCompletesOnAThreadOfTheConnectionSoThatABlockingCallInItsCallbackWorks() throws Exception {
		AsyncPeer proxy = template.remote(NAME, PythonPeer.PATH, AsyncPeer.class);
		// the peer answers after a while, so the callback is attached before completion
		// (a callback attached to a completed future runs on the attaching thread)
		String chained = proxy.Stall(new UInt32(500))
			.thenApply((none) -> Thread.currentThread().getName() + " "
					+ template.call(NAME, PythonPeer.PATH, PythonPeer.INTERFACE, "Echo", "s", "first").get(0))
			.get(5, TimeUnit.SECONDS);
		assertThat(chained).startsWith("ipc-dbus-replies-").endsWith(" echo:first");
	}

	@Test
	void errorReplyFailsTheFutureWithTheSameExceptionAsABlockingCall() {
		AsyncPeer proxy = template.remote(NAME, PythonPeer.PATH, AsyncPeer.class);
		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> proxy.Refuse("closed").get(5, TimeUnit.SECONDS))
			.havingCause()
			.isInstanceOfSatisfying(DBusCallException.class,
					(ex) -> assertThat(ex.errorName()).isEqualTo("dev.ipcboot.test.Error.Refused"))
			.withMessageContaining("closed");
		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> template.callAsync(NAME, PythonPeer.PATH, PythonPeer.INTERFACE, "Refuse", "s", "no")
				.get(5, TimeUnit.SECONDS))
			.havingCause()
			.isInstanceOfSatisfying(DBusCallException.class,
					(ex) -> assertThat(ex.errorName()).isEqualTo("dev.ipcboot.test.Error.Refused"));
	}

	@Test
	void callWithoutAReplyInTimeFailsTheFutureWithATimeoutException() {
		DBusTemplate impatient = template.withTimeout(Duration.ofMillis(300));
		AsyncPeer proxy = impatient.remote(NAME, PythonPeer.PATH, AsyncPeer.class);
		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> proxy.Stall(new UInt32(5000)).get(5, TimeUnit.SECONDS))
			.havingCause()
			.isInstanceOfSatisfying(DBusCallTimeoutException.class,
					(ex) -> assertThat(ex.errorName()).isEqualTo(DBusCallTimeoutException.NO_REPLY));
		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> impatient.callAsync(NAME, PythonPeer.PATH, PythonPeer.INTERFACE, "Stall", "u", 5000L)
				.get(5, TimeUnit.SECONDS))
			.havingCause()
			.isInstanceOf(DBusCallTimeoutException.class);
	}

	@Test
	void argumentsThatDoNotFitTheSignatureFailTheFutureAndSendNothing() {
		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> template.callAsync(NAME, PythonPeer.PATH, PythonPeer.INTERFACE, "Add", "ii", 1)
				.get(5, TimeUnit.SECONDS))
			.havingCause()
			.isInstanceOf(IllegalArgumentException.class)
			.withMessageContaining("'ii' has 2 arguments but 1 were given");
	}

	@Test
	void standaloneTemplateLeavesNoReplyThreadAfterClose() throws Exception {
		try (DBusTemplate own = DBusTemplate.connect(daemon.address())) {
			assertThat(own.callAsync(NAME, PythonPeer.PATH, PythonPeer.INTERFACE, "Echo", "s", "x")
				.thenApply((reply) -> reply.get(0))
				.get(5, TimeUnit.SECONDS)).isEqualTo("echo:x");
			assertThat(OurThreads.alive("ipc-dbus-dbus-unix")).isNotEmpty();
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> OurThreads.alive("ipc-dbus-dbus-unix").isEmpty());
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ IpcListenerAutoConfiguration.class, DBusAutoConfiguration.class })
	static class App {

	}

}
