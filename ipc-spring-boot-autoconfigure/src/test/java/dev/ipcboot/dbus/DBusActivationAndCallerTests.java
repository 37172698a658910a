package dev.ipcboot.dbus;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.errors.AccessDenied;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.ipcboot.autoconfigure.DBusAutoConfiguration;
import dev.ipcboot.autoconfigure.IpcListenerAutoConfiguration;
import dev.ipcboot.testsupport.Tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * On a bus that activates services from {@code .service} files and lets every user
 * connect: a first call starts an activatable python3-dbus service (unless auto-start is
 * off), and an exported bean learns who calls it and refuses a caller of another uid
 * ({@code setpriv} runs busctl as nobody).
 */
class DBusActivationAndCallerTests {

	private static final String NAME = "dev.ipcboot.test.Vault";

	private static final String ACTIVATED = "dev.ipcboot.test.Activated";

	private static final String DORMANT = "dev.ipcboot.test.Dormant";

	private static final long NOBODY = 65534;

	private static SharedTestBus bus;

	private static ConfigurableApplicationContext context;

	private static DBusTemplate template;

	private static final List<Long> activatedPids = new ArrayList<>();

	@BeforeAll
	static void start() throws Exception {
		bus = SharedTestBus.start();
		Path script = Path.of(PythonPeer.class.getResource("/dbus/peer.py").toURI());
		String python = Tools.requirePythonModule("dbus.mainloop.glib", "python3-dbus");
		for (String name : List.of(ACTIVATED, DORMANT)) {
			Files.writeString(bus.serviceDirectory().resolve(name + ".service"), """
					[D-BUS Service]
					Name=%s
					Exec=%s %s %s %s
					""".formatted(name, python, script, bus.address(), name), StandardCharsets.UTF_8);
		}
		context = TestApps.start(App.class, "ipc.dbus.bus=" + bus.address(), "ipc.dbus.service-name=" + NAME);
		template = context.getBean(DBusTemplate.class);
	}

	@AfterAll
	static void stop() throws Exception {
		if (context != null) {
			context.close();
		}
		for (long pid : activatedPids) {
			ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
		}
		if (bus != null) {
			bus.close();
		}
	}

	@Test
	void firstCallThroughATypedProxyStartsTheActivatableService() throws Exception {
		assertThat(hasOwner(ACTIVATED)).isFalse();
		Peer remote = template.remote(ACTIVATED, PythonPeer.PATH, Peer.class);
		assertThat(remote.Echo("wake up")).isEqualTo("echo:wake up");
		activatedPids.add(pidOf(ACTIVATED));
		assertThat(hasOwner(ACTIVATED)).isTrue();
	}

	@Test
	void withAutoStartOffACallToAnActivatableServiceThatIsNotRunningFailsAndStartsNothing() throws Exception {
		try (DBusTemplate noStart = DBusTemplate
			.connect(DBusSettings.of("no-start", "ipc.test", bus.address()).withAutoStart(false), (event) -> {
			})) {
			Peer remote = noStart.remote(DORMANT, PythonPeer.PATH, Peer.class);
			assertThatExceptionOfType(DBusCallException.class).isThrownBy(() -> remote.Echo("anyone?"))
				.satisfies((ex) -> assertThat(ex.errorName()).isEqualTo("org.freedesktop.DBus.Error.NameHasNoOwner"));
			assertThatExceptionOfType(DBusCallException.class)
				.isThrownBy(() -> noStart.call(DORMANT, PythonPeer.PATH, PythonPeer.INTERFACE, "Echo", "s", "?"))
				.satisfies((ex) -> assertThat(ex.errorName()).isEqualTo("org.freedesktop.DBus.Error.NameHasNoOwner"));
		}
		assertThat(hasOwner(DORMANT)).isFalse();
	}

	@Test
	void exportedMethodLearnsTheUidPidAndUniqueNameOfItsCaller() throws Exception {
		Process busctl = new ProcessBuilder(Tools.require("busctl", "systemd").toString(), "--address=" + bus.address(),
				"call", NAME, VaultBean.PATH, "dev.ipcboot.test.Vault", "Whoami")
			.redirectErrorStream(true)
			.start();
		String output = new String(busctl.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
		assertThat(busctl.waitFor(20, TimeUnit.SECONDS)).isTrue();
		assertThat(output).as(output).matches("s \"uid=" + ownUid() + " pid=" + busctl.pid() + " name=:1\\.\\d+\"");
	}

	@Test
	void exportedMethodRefusesACallerWithAnotherUid() throws Exception {
		Commands.Result asRoot = Commands.busctl(bus.address(), "call", NAME, VaultBean.PATH, "dev.ipcboot.test.Vault",
				"Open");
		assertThat(asRoot.exitCode()).as(asRoot.output()).isZero();
		assertThat(asRoot.output().strip()).isEqualTo("s \"opened for uid " + ownUid() + "\"");

		Commands.Result asNobody = Commands.run("setpriv", "util-linux", "--reuid", String.valueOf(NOBODY), "--regid",
				String.valueOf(NOBODY), "--clear-groups", Tools.require("busctl", "systemd").toString(),
				"--address=" + bus.address(), "call", NAME, VaultBean.PATH, "dev.ipcboot.test.Vault", "Open");
		assertThat(asNobody.exitCode()).as(asNobody.output()).isNotZero();
		assertThat(asNobody.output()).contains("Access denied");
		Commands.Result viaGdbus = Commands.run("setpriv", "util-linux", "--reuid", String.valueOf(NOBODY), "--regid",
				String.valueOf(NOBODY), "--clear-groups", Tools.require("gdbus", "libglib2.0-bin").toString(), "call",
				"--address", bus.address(), "--dest", NAME, "--object-path", VaultBean.PATH, "--method",
				"dev.ipcboot.test.Vault.Open");
		assertThat(viaGdbus.exitCode()).isNotZero();
		assertThat(viaGdbus.output()).contains("org.freedesktop.DBus.Error.AccessDenied")
			.contains("uid " + NOBODY + " may not open the vault");
		assertThat(context.getBean(VaultBean.class).refusals).isEqualTo(2);
	}

	@Test
	void askingForTheCallerOutsideAnExportedMethodIsRefusedWithAnExplanation() {
		DBusCallContext callContext = context.getBean(DBusCallContext.class);
		assertThat(callContext.isInCall()).isFalse();
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(callContext::caller)
			.withMessageContaining("No D-Bus call is being answered");
	}

	private static boolean hasOwner(String name) {
		return template
			.call("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "NameHasOwner", "s", name)
			.get(0, Boolean.class);
	}

	private static long pidOf(String name) {
		return template
			.call("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "GetConnectionUnixProcessID",
					"s", name)
			.get(0, Long.class);
	}

	private static long ownUid() throws Exception {
		return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
	}

	/** The vault's D-Bus interface. */
	@DBusInterfaceName("dev.ipcboot.test.Vault")
	public interface Vault extends DBusInterface {

		String Whoami();

		String Open();

	}

	@DBusExport(path = VaultBean.PATH)
	public static class VaultBean implements Vault {

		static final String PATH = "/dev/ipcboot/Vault";

		private final DBusCallContext context;

		private final long allowedUid;

		volatile int refusals;

		VaultBean(DBusCallContext context, long allowedUid) {
			this.context = context;
			this.allowedUid = allowedUid;
		}

		@Override
		public String Whoami() {
			DBusCaller caller = this.context.caller();
			return "uid=" + caller.uid() + " pid=" + caller.pid() + " name=" + caller.uniqueName();
		}

		@Override
		public String Open() {
			long uid = this.context.caller().uid();
			if (uid != this.allowedUid) {
				this.refusals++;
				throw new AccessDenied("uid " + uid + " may not open the vault");
			}
			return "opened for uid " + uid;
		}

		@Override
		public String getObjectPath() {
			return PATH;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ IpcListenerAutoConfiguration.class, DBusAutoConfiguration.class })
	static class App {

		@Bean
		VaultBean vault(DBusCallContext context) throws Exception {
			return new VaultBean(context, ownUid());
		}

	}

}
