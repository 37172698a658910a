package dev.ipcboot.dbus;

import java.nio.file.Path;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bean annotated with {@code @DBusExport}, called and introspected by the foreign
 * clients busctl, gdbus and dbus-send over a private bus daemon.
 */
class DBusExportTests {

	private static final String NAME = "dev.ipcboot.test.DeskService";

	@TempDir
	static Path directory;

	private static PrivateBusDaemon daemon;

	private static ConfigurableApplicationContext context;

	@BeforeAll
	static void start() {
		daemon = PrivateBusDaemon.start(directory);
		context = TestApps.start(App.class, "ipc.dbus.bus=" + daemon.address(), "ipc.dbus.service-name=" + NAME);
	}

	@AfterAll
	static void stop() {
		if (context != null) {
			context.close();
		}
		daemon.close();
	}

	@Test
	void busctlCallsTheExportedBean() throws Exception {
		Commands.Result result = Commands.busctl(daemon.address(), "call", NAME, DeskBean.PATH, "dev.ipcboot.test.Desk",
				"PlaceOrder", "si", "coffee", "2");
		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(result.output()).matches("i \\d+\\s*");
	}

	@Test
	void gdbusCallsTheExportedBean() throws Exception {
		Commands.Result result = Commands.gdbus("call", "--address", daemon.address(), "--dest", NAME, "--object-path",
				DeskBean.PATH, "--method", "dev.ipcboot.test.Desk.Status");
		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(result.output()).startsWith("('open, ");
	}

	@Test
	void dbusSendCallsTheExportedBean() throws Exception {
		Commands.Result result = Commands.dbusSend("--bus=" + daemon.address(), "--print-reply", "--dest=" + NAME,
				DeskBean.PATH, "dev.ipcboot.test.Desk.PlaceOrder", "string:tea", "int32:1");
		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(result.output()).contains("method return").containsPattern("int32 \\d+");
	}

	@Test
	void busctlIntrospectListsMethodsAndSignalsWithTheirSignatures() throws Exception {
		Commands.Result result = Commands.busctl(daemon.address(), "introspect", NAME, DeskBean.PATH,
				"dev.ipcboot.test.Desk");
		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(result.output()).containsPattern("\\.PlaceOrder\\s+method\\s+si\\s+i")
			.containsPattern("\\.Status\\s+method\\s+-\\s+s")
			.containsPattern("\\.Explode\\s+method\\s+s\\s+-")
			.containsPattern("\\.OrderPlaced\\s+signal\\s+si");
	}

	@Test
	void unknownMethodGetsUnknownMethodErrorFromBusctl() throws Exception {
		Commands.Result result = Commands.busctl(daemon.address(), "call", NAME, DeskBean.PATH, "dev.ipcboot.test.Desk",
				"Refund", "s", "coffee");
		assertThat(result.exitCode()).isNotZero();
		assertThat(result.output()).contains("Refund").contains("does not exist");
		Commands.Result named = Commands.gdbus("call", "--address", daemon.address(), "--dest", NAME, "--object-path",
				DeskBean.PATH, "--method", "dev.ipcboot.test.Desk.Refund", "coffee");
		assertThat(named.output()).contains("GDBus.Error:org.freedesktop.DBus.Error.UnknownMethod");
	}

	@Test
	void callToAMissingObjectGetsUnknownObjectFromGdbus() throws Exception {
		Commands.Result named = Commands.gdbus("call", "--address", daemon.address(), "--dest", NAME, "--object-path",
				"/nowhere", "--method", "dev.ipcboot.test.Desk.Status");
		assertThat(named.exitCode()).isNotZero();
		assertThat(named.output()).contains("GDBus.Error:org.freedesktop.DBus.Error.UnknownObject");
	}

	@Test
	void wrongSignatureGetsAnErrorFromBusctlAndTheBeanKeepsServing() throws Exception {
		Commands.Result result = Commands.busctl(daemon.address(), "call", NAME, DeskBean.PATH, "dev.ipcboot.test.Desk",
				"PlaceOrder", "ss", "coffee", "two");
		assertThat(result.exitCode()).isNotZero();
		assertThat(result.output()).isNotBlank();
		// dbus-java, like Qt, finds methods by name and signature: a known name with
		// other arguments is an unknown method, not InvalidArgs as in GDBus
		Commands.Result named = Commands.dbusSend("--bus=" + daemon.address(), "--print-reply", "--dest=" + NAME,
				DeskBean.PATH, "dev.ipcboot.test.Desk.PlaceOrder", "string:coffee", "string:two");
		assertThat(named.output()).contains("Error org.freedesktop.DBus.Error.UnknownMethod");
		assertThat(statusViaBusctl()).startsWith("s \"open");
	}

	@Test
	void exceptionInTheBeanBecomesAnErrorReplyAndTheBeanKeepsServing() throws Exception {
		Commands.Result result = Commands.busctl(daemon.address(), "call", NAME, DeskBean.PATH, "dev.ipcboot.test.Desk",
				"Explode", "s", "on purpose");
		assertThat(result.exitCode()).isNotZero();
		assertThat(result.output()).contains("exploded: on purpose");
		Commands.Result named = Commands.gdbus("call", "--address", daemon.address(), "--dest", NAME, "--object-path",
				DeskBean.PATH, "--method", "dev.ipcboot.test.Desk.Explode", "on purpose");
		assertThat(named.output()).contains("GDBus.Error:org.freedesktop.DBus.Error.Failed:")
			.contains("exploded: on purpose");
		Commands.Result invalid = Commands.busctl(daemon.address(), "call", NAME, DeskBean.PATH,
				"dev.ipcboot.test.Desk", "PlaceOrder", "si", "coffee", "0");
		assertThat(invalid.output()).contains("quantity must be positive");
		assertThat(statusViaBusctl()).startsWith("s \"open");
	}

	@Test
	void templateCallsTheExportedBeanThroughATypedProxyAndUntyped() {
		DBusTemplate template = context.getBean(DBusTemplate.class);
		Desk desk = template.remote(NAME, DeskBean.PATH, Desk.class);
		int before = context.getBean(DeskBean.class).orders.get();
		assertThat(desk.PlaceOrder("cake", 1)).isEqualTo(before + 1);
		DBusReply reply = template.call(NAME, DeskBean.PATH, "dev.ipcboot.test.Desk", "Status", "");
		assertThat(reply.signature()).isEqualTo("s");
		assertThat(reply.get(0, String.class)).startsWith("open");
	}

	@Test
	void callsFromPeersAreTimedByInterfaceMemberAndOutcome() throws Exception {
		SimpleMeterRegistry registry = context.getBean(SimpleMeterRegistry.class);
		long before = incomingCalls(registry, "PlaceOrder", "success");
		long failedBefore = incomingCalls(registry, "Explode", "error");
		Commands.Result ok = Commands.busctl(daemon.address(), "call", NAME, DeskBean.PATH, "dev.ipcboot.test.Desk",
				"PlaceOrder", "si", "tea", "1");
		assertThat(ok.exitCode()).as(ok.output()).isZero();
		Commands.Result failed = Commands.busctl(daemon.address(), "call", NAME, DeskBean.PATH, "dev.ipcboot.test.Desk",
				"Explode", "s", "measured");
		assertThat(failed.output()).contains("exploded: measured");
		assertThat(incomingCalls(registry, "PlaceOrder", "success")).isEqualTo(before + 1);
		assertThat(incomingCalls(registry, "Explode", "error")).isEqualTo(failedBefore + 1);
	}

	private static long incomingCalls(SimpleMeterRegistry registry, String member, String outcome) {
		Timer timer = registry.find("ipc.dbus.calls")
			.tags("interface", "dev.ipcboot.test.Desk", "member", member, "direction", "in", "outcome", outcome)
			.timer();
		return (timer != null) ? timer.count() : 0;
	}

	private String statusViaBusctl() throws Exception {
		Commands.Result status = Commands.busctl(daemon.address(), "call", NAME, DeskBean.PATH, "dev.ipcboot.test.Desk",
				"Status");
		assertThat(status.exitCode()).as(status.output()).isZero();
		return status.output();
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
		DeskBean desk() {
			return new DeskBean();
		}

	}

}
