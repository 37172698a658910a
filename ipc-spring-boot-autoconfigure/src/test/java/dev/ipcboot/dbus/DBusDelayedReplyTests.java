package dev.ipcboot.dbus;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.errors.AccessDenied;
import org.freedesktop.dbus.interfaces.DBusInterface;
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
import dev.ipcboot.testsupport.Tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * An exported method that returns a {@link CompletionStage} is answered when the stage
 * completes: many such calls stay pending at once while other calls to the same bean are
 * answered, and a stage that fails becomes an error reply.
 */
class DBusDelayedReplyTests {

	private static final String NAME = "dev.ipcboot.test.Kitchen";

	private static final String INTERFACE = "dev.ipcboot.test.Kitchen";

	@TempDir
	static Path directory;

	private static PrivateBusDaemon daemon;

	private static ConfigurableApplicationContext context;

	private static DBusTemplate client;

	@BeforeAll
	static void start() {
		daemon = PrivateBusDaemon.start(directory);
		context = TestApps.start(App.class, "ipc.dbus.bus=" + daemon.address(), "ipc.dbus.service-name=" + NAME);
		client = DBusTemplate.connect(daemon.address());
	}

	@AfterAll
	static void stop() {
		if (client != null) {
			client.close();
		}
		if (context != null) {
			context.close();
		}
		daemon.close();
	}

	@Test
	void manyDelayedCallsStayPendingWhileOtherCallsAreAnsweredAndEachGetsItsOwnReply() throws Exception {
		KitchenBean kitchen = context.getBean(KitchenBean.class);
		List<CompletableFuture<DBusReply>> orders = new ArrayList<>();
		for (int i = 0; i < 24; i++) {
			orders.add(client.callAsync(NAME, KitchenBean.PATH, INTERFACE, "Cook", "s", "dish" + i));
		}
		// more pending calls than dbus-java has threads for exported methods
		await().atMost(Duration.ofSeconds(10)).until(() -> kitchen.pending.size() == 24);
		for (int i = 0; i < 10; i++) {
			assertThat(client.call(NAME, KitchenBean.PATH, INTERFACE, "Menu", "").get(0)).isEqualTo("soup, stew");
		}
		Commands.Result busctl = Commands.busctl(daemon.address(), "call", NAME, KitchenBean.PATH, INTERFACE, "Menu");
		assertThat(busctl.output().strip()).isEqualTo("s \"soup, stew\"");
		assertThat(orders).noneMatch(CompletableFuture::isDone);

		List<Order> taken = new ArrayList<>();
		kitchen.pending.drainTo(taken);
		for (Order order : taken) {
			order.reply.complete("cooked " + order.dish);
		}
		for (int i = 0; i < 24; i++) {
			assertThat(orders.get(i).get(10, TimeUnit.SECONDS).get(0)).isEqualTo("cooked dish" + i);
		}
	}

	@Test
	void stageThatFailsBecomesAnErrorReplyWithTheExceptionsNameOrFailed() throws Exception {
		KitchenBean kitchen = context.getBean(KitchenBean.class);
		CompletableFuture<DBusReply> refused = client.callAsync(NAME, KitchenBean.PATH, INTERFACE, "Cook", "s", "x");
		CompletableFuture<DBusReply> burnt = client.callAsync(NAME, KitchenBean.PATH, INTERFACE, "Cook", "s", "y");
		Order first = kitchen.pending.poll(10, TimeUnit.SECONDS);
		Order second = kitchen.pending.poll(10, TimeUnit.SECONDS);
		(first.dish.equals("x") ? first : second).reply.completeExceptionally(new AccessDenied("not for you"));
		(first.dish.equals("x") ? second : first).reply.completeExceptionally(new IllegalStateException("burnt"));
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> refused.get(10, TimeUnit.SECONDS))
			.havingCause()
			.isInstanceOfSatisfying(DBusCallException.class,
					(ex) -> assertThat(ex.errorName()).isEqualTo("org.freedesktop.DBus.Error.AccessDenied"))
			.withMessageContaining("not for you");
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> burnt.get(10, TimeUnit.SECONDS))
			.havingCause()
			.isInstanceOfSatisfying(DBusCallException.class,
					(ex) -> assertThat(ex.errorName()).isEqualTo("org.freedesktop.DBus.Error.Failed"))
			.withMessageContaining("burnt");
	}

	@Test
	void methodThatThrowsInsteadOfReturningAStageGetsAnErrorReplyAndNullIsNamedAsTheMistake() {
		assertThatExceptionOfType(DBusCallException.class)
			.isThrownBy(() -> client.call(NAME, KitchenBean.PATH, INTERFACE, "Cook", "s", "poison"))
			.satisfies((ex) -> assertThat(ex.errorName()).isEqualTo("org.freedesktop.DBus.Error.InvalidArgs"))
			.withMessageContaining("will not cook poison");
		assertThatExceptionOfType(DBusCallException.class)
			.isThrownBy(() -> client.call(NAME, KitchenBean.PATH, INTERFACE, "Cook", "s", "nothing"))
			.withMessageContaining("returned null");
	}

	@Test
	void delayedMethodWithoutAResultRepliesEmptyAndKnowsItsCaller() throws Exception {
		Commands.Result busctl = Commands.busctl(daemon.address(), "call", NAME, KitchenBean.PATH, INTERFACE, "Clean");
		assertThat(busctl.exitCode()).as(busctl.output()).isZero();
		assertThat(busctl.output()).isEmpty();
		assertThat(context.getBean(KitchenBean.class).cleanedFor).startsWith(":1.");
		DBusReply reply = client.call(NAME, KitchenBean.PATH, INTERFACE, "Clean", "");
		assertThat(reply.size()).isZero();
		assertThat(context.getBean(KitchenBean.class).cleanedFor).isEqualTo(client.connection().uniqueName());
	}

	@Test
	void gdbusIntrospectsADelayedMethodWithTheTypeItsStageCompletesWith() throws Exception {
		Commands.Result introspect = Commands.gdbus("introspect", "--address", daemon.address(), "--dest", NAME,
				"--object-path", KitchenBean.PATH);
		assertThat(introspect.exitCode()).as(introspect.output()).isZero();
		assertThat(introspect.output().replaceAll("\\s+", " ")).contains("Cook(in s arg_0, out s arg_1);")
			.contains("Clean();")
			.contains("Menu(out s arg_0);");
	}

	@Test
	void delayedCallIsTimedWhenItsStageCompletesNotWhenTheMethodReturns() throws Exception {
		KitchenBean kitchen = context.getBean(KitchenBean.class);
		SimpleMeterRegistry registry = context.getBean(SimpleMeterRegistry.class);
		long before = cooked(registry);
		CompletableFuture<DBusReply> order = client.callAsync(NAME, KitchenBean.PATH, INTERFACE, "Cook", "s", "rice");
		Order pending = kitchen.pending.poll(10, TimeUnit.SECONDS);
		assertThat(pending).isNotNull();
		assertThat(cooked(registry)).isEqualTo(before);
		pending.reply.complete("rice");
		order.get(10, TimeUnit.SECONDS);
		await().atMost(Duration.ofSeconds(5)).until(() -> cooked(registry) == before + 1);
	}

	private static long cooked(SimpleMeterRegistry registry) {
		Timer timer = registry.find("ipc.dbus.calls")
			.tags("interface", INTERFACE, "member", "Cook", "direction", "in", "outcome", "success")
			.timer();
		return (timer != null) ? timer.count() : 0;
	}

	@Test
	void gdbusGetsADelayedReply() throws Exception {
		KitchenBean kitchen = context.getBean(KitchenBean.class);
		Process gdbus = new ProcessBuilder(Tools.require("gdbus", "libglib2.0-bin").toString(), "call", "--address",
				daemon.address(), "--dest", NAME, "--object-path", KitchenBean.PATH, "--method", INTERFACE + ".Cook",
				"pie")
			.redirectErrorStream(true)
			.start();
		Order order = kitchen.pending.poll(10, TimeUnit.SECONDS);
		assertThat(order).isNotNull();
		assertThat(gdbus.isAlive()).isTrue();
		order.reply.complete("apple pie");
		assertThat(gdbus.waitFor(10, TimeUnit.SECONDS)).isTrue();
		assertThat(new String(gdbus.getInputStream().readAllBytes()).strip()).isEqualTo("('apple pie',)");
	}

	/** The kitchen's D-Bus interface. */
	@DBusInterfaceName(INTERFACE)
	public interface Kitchen extends DBusInterface {

		CompletionStage<String> Cook(String dish);

		CompletableFuture<Void> Clean();

		String Menu();

	}

	record Order(String dish, CompletableFuture<String> reply) {

	}

	@DBusExport(path = KitchenBean.PATH)
	public static class KitchenBean implements Kitchen {

		static final String PATH = "/dev/ipcboot/Kitchen";

		final LinkedBlockingQueue<Order> pending = new LinkedBlockingQueue<>();

		private final DBusCallContext context;

		volatile String cleanedFor;

		KitchenBean(DBusCallContext context) {
			this.context = context;
		}

		@Override
		public CompletionStage<String> Cook(String dish) {
			if (dish.equals("poison")) {
				throw new org.freedesktop.dbus.errors.InvalidMethodArgument("will not cook poison");
			}
			if (dish.equals("nothing")) {
				return null;
			}
			Order order = new Order(dish, new CompletableFuture<>());
			this.pending.add(order);
			return order.reply;
		}

		@Override
		public CompletableFuture<Void> Clean() {
			this.cleanedFor = this.context.caller().uniqueName();
			return CompletableFuture.completedFuture(null);
		}

		@Override
		public String Menu() {
			return "soup, stew";
		}

		@Override
		public String getObjectPath() {
			return PATH;
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
		KitchenBean kitchen(DBusCallContext context) {
			return new KitchenBean(context);
		}

	}

}
