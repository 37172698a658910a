package dev.ipcboot.dbus;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;
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
import dev.ipcboot.dbus.internal.PrivateBusDaemon;
import dev.ipcboot.testsupport.Tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * D-Bus properties both ways: an exported bean's {@code @DBusBoundProperty} methods read
 * and written by busctl and gdbus, and the properties of a python3-dbus service read and
 * written through a typed proxy and the template; {@code PropertiesChanged} seen by
 * {@code gdbus monitor}.
 */
class DBusPropertiesTests {

	private static final String NAME = "dev.ipcboot.test.Lamps";

	private static final String PEER = "dev.ipcboot.test.PropertyPeer";

	@TempDir
	static Path directory;

	private static PrivateBusDaemon daemon;

	private static PythonPeer peer;

	private static ConfigurableApplicationContext context;

	private static DBusTemplate template;

	@BeforeAll
	static void start() throws Exception {
		daemon = PrivateBusDaemon.start(directory);
		peer = PythonPeer.start(daemon.address(), PEER);
		context = TestApps.start(App.class, "ipc.dbus.bus=" + daemon.address(), "ipc.dbus.service-name=" + NAME);
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
	void busctlReadsAnExportedPropertyAsAVariantAndWritesIt() throws Exception {
		LampBean lamp = context.getBean(LampBean.class);
		lamp.color = "red";
		Commands.Result read = Commands.busctl(daemon.address(), "get-property", NAME, LampBean.PATH,
				"dev.ipcboot.test.Lamp", "Color");
		assertThat(read.exitCode()).as(read.output()).isZero();
		assertThat(read.output().strip()).isEqualTo("s \"red\"");
		Commands.Result number = Commands.busctl(daemon.address(), "get-property", NAME, LampBean.PATH,
				"dev.ipcboot.test.Lamp", "Brightness");
		assertThat(number.output().strip()).isEqualTo("i 80");
		Commands.Result list = Commands.busctl(daemon.address(), "get-property", NAME, LampBean.PATH,
				"dev.ipcboot.test.Lamp", "Modes");
		assertThat(list.output().strip()).isEqualTo("as 2 \"day\" \"night\"");

		Commands.Result write = Commands.busctl(daemon.address(), "set-property", NAME, LampBean.PATH,
				"dev.ipcboot.test.Lamp", "Color", "s", "green");
		assertThat(write.exitCode()).as(write.output()).isZero();
		assertThat(lamp.color).isEqualTo("green");
	}

	@Test
	void gdbusSeesTheVariantAndIntrospectsThePropertiesWithTheirAccess() throws Exception {
		context.getBean(LampBean.class).color = "amber";
		Commands.Result get = Commands.gdbus("call", "--address", daemon.address(), "--dest", NAME, "--object-path",
				LampBean.PATH, "--method", "org.freedesktop.DBus.Properties.Get", "dev.ipcboot.test.Lamp", "Color");
		assertThat(get.exitCode()).as(get.output()).isZero();
		assertThat(get.output().strip()).isEqualTo("(<'amber'>,)");
		Commands.Result introspect = Commands.gdbus("introspect", "--address", daemon.address(), "--dest", NAME,
				"--object-path", LampBean.PATH);
		assertThat(introspect.exitCode()).as(introspect.output()).isZero();
		assertThat(introspect.output()).contains("interface org.freedesktop.DBus.Properties")
			.contains("readwrite s Color = 'amber';")
			.contains("readonly i Brightness = 80;")
			.contains("readonly as Modes = ['day', 'night'];")
			.contains("Describe(out s arg_0);");
	}

	@Test
	void unknownPropertyOfAnExportedBeanIsRefusedWithAnErrorThatNamesIt() throws Exception {
		Commands.Result read = Commands.busctl(daemon.address(), "get-property", NAME, LampBean.PATH,
				"dev.ipcboot.test.Lamp", "Wattage");
		assertThat(read.exitCode()).isNotZero();
		assertThat(read.output()).contains("Wattage");
	}

	@Test
	void settingAnExportedPropertyWithTheWrongTypeOrAReadOnlyOneIsRefusedAndKeepsTheValue() throws Exception {
		LampBean lamp = context.getBean(LampBean.class);
		lamp.color = "red";
		Commands.Result wrongType = Commands.busctl(daemon.address(), "set-property", NAME, LampBean.PATH,
				"dev.ipcboot.test.Lamp", "Color", "i", "5");
		assertThat(wrongType.exitCode()).as(wrongType.output()).isNotZero();
		Commands.Result readOnly = Commands.busctl(daemon.address(), "set-property", NAME, LampBean.PATH,
				"dev.ipcboot.test.Lamp", "Brightness", "i", "5");
		assertThat(readOnly.exitCode()).as(readOnly.output()).isNotZero();
		assertThat(lamp.color).isEqualTo("red");
		assertThat(Commands
			.busctl(daemon.address(), "get-property", NAME, LampBean.PATH, "dev.ipcboot.test.Lamp", "Brightness")
			.output()
			.strip()).isEqualTo("i 80");
	}

	@Test
	void typedProxyReadsAndWritesThePropertiesOfThePythonService() {
		PeerProperties remote = template.remote(PEER, PythonPeer.PATH, PeerProperties.class);
		assertThat(remote.getName()).isEqualTo("python peer");
		assertThat(remote.getTags()).containsExactly("a", "b");
		remote.setVolume(new UInt32(11));
		assertThat(remote.getVolume()).isEqualTo(new UInt32(11));
		assertThatExceptionOfType(DBusCallException.class).isThrownBy(remote::getMissing)
			.satisfies((ex) -> assertThat(ex.errorName()).isEqualTo("org.freedesktop.DBus.Error.UnknownProperty"))
			.withMessageContaining("Missing");
	}

	@Test
	void propertiesInterfaceThroughATypedProxyReachesThePythonService() {
		Properties properties = template.remote(PEER, PythonPeer.PATH, Properties.class);
		Map<String, Variant<?>> all = properties.GetAll(PythonPeer.INTERFACE);
		assertThat(all).containsKeys("Name", "Volume", "Tags");
		Object name = properties.Get(PythonPeer.INTERFACE, "Name");
		assertThat((name instanceof Variant<?> variant) ? variant.getValue() : name).isEqualTo("python peer");
	}

	@Test
	void templateReadsWritesAndListsThePropertiesOfThePythonService() {
		assertThat(template.getProperty(PEER, PythonPeer.PATH, PythonPeer.INTERFACE, "Name")).isEqualTo("python peer");
		template.setProperty(PEER, PythonPeer.PATH, PythonPeer.INTERFACE, "Volume", "u", 3L);
		assertThat(template.getProperty(PEER, PythonPeer.PATH, PythonPeer.INTERFACE, "Volume"))
			.isInstanceOfSatisfying(Number.class, (volume) -> assertThat(volume.longValue()).isEqualTo(3));
		assertThat(template.getAllProperties(PEER, PythonPeer.PATH, PythonPeer.INTERFACE))
			.containsEntry("Name", "python peer")
			.containsEntry("Tags", List.of("a", "b"));
		assertThatExceptionOfType(DBusCallException.class)
			.isThrownBy(() -> template.setProperty(PEER, PythonPeer.PATH, PythonPeer.INTERFACE, "Name", "s", "x"))
			.satisfies((ex) -> assertThat(ex.errorName()).isEqualTo("org.freedesktop.DBus.Error.PropertyReadOnly"));
	}

	@Test
	void typedProxyReadsTheExportedBeansPropertiesToo() {
		context.getBean(LampBean.class).color = "violet";
		Lamp remote = template.remote(NAME, LampBean.PATH, Lamp.class);
		assertThat(remote.getColor()).isEqualTo("violet");
		assertThat(remote.getBrightness()).isEqualTo(80);
		assertThat(remote.getModes()).containsExactly("day", "night");
		remote.setColor("teal");
		assertThat(context.getBean(LampBean.class).color).isEqualTo("teal");
	}

	@Test
	void propertiesChangedEmittedByTheApplicationIsSeenByGdbusMonitor() throws Exception {
		Process monitor = new ProcessBuilder(Tools.require("gdbus", "libglib2.0-bin").toString(), "monitor",
				"--address", daemon.address(), "--dest", NAME)
			.redirectErrorStream(true)
			.start();
		List<String> lines = new CopyOnWriteArrayList<>();
		Thread reader = new Thread(() -> {
			try (BufferedReader in = new BufferedReader(
					new InputStreamReader(monitor.getInputStream(), StandardCharsets.UTF_8))) {
				in.lines().forEach(lines::add);
			}
			catch (Exception ex) {
				lines.add("reader failed: " + ex);
			}
		}, "gdbus-monitor-reader");
		reader.start();
		try {
			await().atMost(Duration.ofSeconds(10)).until(() -> lines.stream().anyMatch((l) -> l.contains("owned by")));
			template.emitPropertiesChanged(LampBean.PATH, "dev.ipcboot.test.Lamp",
					Map.of("Color", "blue", "Level", new Variant<>(new UInt32(9))), List.of("Modes"));
			await().atMost(Duration.ofSeconds(10))
				.until(() -> lines.stream().anyMatch((l) -> l.contains("PropertiesChanged")));
			String signal = lines.stream().filter((l) -> l.contains("PropertiesChanged")).findFirst().orElseThrow();
			assertThat(signal).startsWith(LampBean.PATH + ": org.freedesktop.DBus.Properties.PropertiesChanged")
				.contains("'dev.ipcboot.test.Lamp'")
				.contains("'Color': <'blue'>")
				.contains("'Level': <uint32 9>")
				.contains("['Modes']");
		}
		finally {
			monitor.destroy();
			monitor.waitFor(5, TimeUnit.SECONDS);
			reader.join(5000);
		}
	}

	@DBusExport(path = LampBean.PATH)
	public static class LampBean implements Lamp {

		static final String PATH = "/dev/ipcboot/Lamp";

		volatile String color = "red";

		@Override
		public String getColor() {
			return this.color;
		}

		@Override
		public void setColor(String color) {
			this.color = color;
		}

		@Override
		public int getBrightness() {
			return 80;
		}

		@Override
		public List<String> getModes() {
			return List.of("day", "night");
		}

		@Override
		public String Describe() {
			return this.color + " lamp";
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
		LampBean lamp() {
			return new LampBean();
		}

	}

}
