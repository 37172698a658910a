package dev.ipcboot.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

import dev.ipcboot.internal.IpcResourceState;
import dev.ipcboot.IpcResourceStatus;
import dev.ipcboot.dbus.BusConnection;
import dev.ipcboot.dbus.DBusNameOwnerChangedEvent.Change;
import dev.ipcboot.dbus.DBusNameOwnerChangedEvent;
import dev.ipcboot.dbus.DBusTemplate;
import dev.ipcboot.dbus.DeskBean;
import dev.ipcboot.dbus.PythonPeer;
import dev.ipcboot.dbus.internal.BusConnectionAccess;
import dev.ipcboot.dbus.internal.DBusConnectionResource;
import dev.ipcboot.dbus.internal.DBusLifecycle;
import dev.ipcboot.dbus.internal.PrivateBusDaemon;
import dev.ipcboot.testsupport.OurThreads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link DBusAutoConfiguration}: what it creates, when it backs off, how it fails, and
 * that it leaves nothing behind.
 */
class DBusAutoConfigurationTests {

	@TempDir
	static Path directory;

	private static PrivateBusDaemon daemon;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(IpcListenerAutoConfiguration.class, DBusAutoConfiguration.class));

	@BeforeAll
	static void start() {
		daemon = PrivateBusDaemon.start(directory);
	}

	@AfterAll
	static void stop() {
		daemon.close();
	}

	@Test
	void defaultsCreateATemplateAndHealthButNoConnectionAtStartup() {
		this.runner.withPropertyValues("ipc.dbus.bus=" + daemon.address()).run((context) -> {
			assertThat(context).hasSingleBean(DBusTemplate.class).hasSingleBean(DBusLifecycle.class);
			BusConnection connection = context.getBean(BusConnection.class);
			assertThat(connection.isConnected()).isFalse();
			IpcResourceState before = context.getBean(DBusConnectionResource.class).state();
			assertThat(before.status()).isEqualTo(IpcResourceStatus.UP);
			assertThat(before.details()).containsEntry("connected", "on first use");
			assertThat(connection.uniqueName()).startsWith(":");
			assertThat(connection.isConnected()).isTrue();
			assertThat(context.getBean(DBusConnectionResource.class).state().details()).containsEntry("uniqueName",
					connection.uniqueName());
		});
	}

	@Test
	void nothingConfiguredAndNothingExportedRegistersNoDBusBean() {
		this.runner.run((context) -> assertThat(context).hasNotFailed()
			.doesNotHaveBean(DBusTemplate.class)
			.doesNotHaveBean(BusConnection.class)
			.doesNotHaveBean(DBusLifecycle.class));
	}

	@Test
	void anExportedBeanWithNothingConfiguredIsEnoughForTheFacility() {
		// the default bus is the session bus, which the JVM's environment names (or not)
		this.runner.withBean(DeskBean.class).run((context) -> {
			if (System.getenv("DBUS_SESSION_BUS_ADDRESS") == null) {
				assertThat(context).getFailure().hasStackTraceContaining("there is no session bus");
			}
			else {
				assertThat(context).hasSingleBean(DBusTemplate.class).hasSingleBean(DBusLifecycle.class);
			}
		});
	}

	@Test
	void connectionCustomizersAreAppliedInOrderBeforeAnythingConnects() {
		List<String> applied = new CopyOnWriteArrayList<>();
		List<BusConnection> customized = new CopyOnWriteArrayList<>();
		this.runner.withPropertyValues("ipc.dbus.bus=" + daemon.address())
			.withBean("second", BusConnectionCustomizer.class,
					() -> new OrderedCustomizer(2, "second", applied, customized))
			.withBean("first", BusConnectionCustomizer.class,
					() -> new OrderedCustomizer(1, "first", applied, customized))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(applied).containsExactly("first:not connected", "second:not connected");
				assertThat(customized).containsOnly(context.getBean(BusConnection.class));
			});
	}

	@Test
	void userDefinedTemplateMakesOursBackOff() {
		this.runner.withUserConfiguration(OwnTemplate.class).run((context) -> {
			assertThat(context).hasSingleBean(DBusTemplate.class);
			assertThat(context.getBean(DBusTemplate.class)).isSameAs(context.getBean(OwnTemplate.class).template);
		});
	}

	@Test
	void disabledPropertySwitchesTheFacilityOff() {
		this.runner.withPropertyValues("ipc.dbus.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(DBusTemplate.class)
				.doesNotHaveBean(BusConnection.class));
	}

	@Test
	void missingDBusJavaSwitchesTheFacilityOff() {
		this.runner.withClassLoader(new FilteredClassLoader("org.freedesktop.dbus"))
			.withPropertyValues("ipc.dbus.bus=" + daemon.address())
			.run((context) -> assertThat(context).doesNotHaveBean(DBusTemplate.class)
				.doesNotHaveBean(BusConnection.class));
	}

	@Test
	void privateBusIsStartedReachableByBusctlAndGoneAfterClose() throws Exception {
		List<Long> pids = new ArrayList<>();
		List<String> addresses = new ArrayList<>();
		this.runner.withPropertyValues("ipc.dbus.bus=private").run((context) -> {
			assertThat(context).hasNotFailed();
			BusConnection connection = context.getBean(BusConnection.class);
			PrivateBusDaemon own = BusConnectionAccess.privateDaemon(connection);
			assertThat(own).isNotNull();
			pids.add(own.pid());
			addresses.add(own.address());
			Path socket = Path.of(own.address().substring("unix:path=".length()));
			assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())))
				.isEqualTo("rwx------");
			List<String> names = PythonPeer.busctlList(own.address());
			assertThat(names).contains(connection.uniqueName());
		});
		assertThat(ProcessHandle.of(pids.get(0)).map(ProcessHandle::isAlive).orElse(false)).isFalse();
		assertThat(Path.of(addresses.get(0).substring("unix:path=".length())).getParent()).doesNotExist();
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			assertThat(OurThreads.alive("ipc-")).isEmpty();
			assertThat(OurThreads.alive("DBus")).isEmpty();
		});
	}

	@Test
	void privateBusThatDiesIsStartedAgainAtTheSameAddressAndReconnected() {
		this.runner.withPropertyValues("ipc.dbus.bus=private", "ipc.dbus.reconnect.initial-backoff=50ms")
			.run((context) -> {
				BusConnection connection = context.getBean(BusConnection.class);
				PrivateBusDaemon first = BusConnectionAccess.privateDaemon(connection);
				ProcessHandle.of(first.pid()).ifPresent(ProcessHandle::destroyForcibly);
				await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
					PrivateBusDaemon second = BusConnectionAccess.privateDaemon(connection);
					assertThat(second.pid()).isNotEqualTo(first.pid());
					assertThat(second.address()).isEqualTo(first.address());
					assertThat(connection.state()).isEqualTo(BusConnection.State.CONNECTED);
				});
				assertThat(PythonPeer.busctlList(first.address())).contains(connection.uniqueName());
			});
	}

	@Test
	void afterCloseNoConnectionNoThreadOfOursOrOfDBusJavaRemains() throws Exception {
		List<String> uniqueNames = new ArrayList<>();
		this.runner
			.withPropertyValues("ipc.dbus.bus=" + daemon.address(), "ipc.dbus.service-name=dev.ipcboot.test.Leak",
					"ipc.dbus.signals.any.interface=dev.ipcboot.test.Peer", "ipc.dbus.signals.any.member=Changed",
					"ipc.dbus.watch-names=dev.ipcboot.test.Watched")
			.run((context) -> {
				uniqueNames.add(context.getBean(BusConnection.class).uniqueName());
				assertThat(OurThreads.alive("DBus")).isNotEmpty();
			});
		assertThat(PythonPeer.busctlList(daemon.address())).doesNotContain(uniqueNames.get(0), "dev.ipcboot.test.Leak");
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			assertThat(OurThreads.alive("ipc-")).isEmpty();
			assertThat(OurThreads.alive("DBus")).isEmpty();
		});
	}

	@Test
	void serviceNameAlreadyOwnedFailsStartupNamingTheNameAndItsOwner() throws Exception {
		try (PythonPeer owner = PythonPeer.start(daemon.address(), "dev.ipcboot.test.Taken")) {
			this.runner
				.withPropertyValues("ipc.dbus.bus=" + daemon.address(), "ipc.dbus.service-name=dev.ipcboot.test.Taken")
				.run((context) -> {
					assertThat(context).hasFailed();
					FailureAnalysis analysis = new IpcConfigurationFailureAnalyzer()
						.analyze(context.getStartupFailure());
					assertThat(analysis).isNotNull();
					assertThat(analysis.getDescription()).contains("ipc.dbus.service-name")
						.contains("dev.ipcboot.test.Taken")
						.contains(owner.uniqueName())
						.contains("pid " + owner.pid());
					assertThat(analysis.getAction()).contains("ipc.dbus.service-name");
				});
		}
	}

	@Test
	void unreachableBusFailsStartupNamingThePropertyAndTheAddress() {
		this.runner
			.withPropertyValues("ipc.dbus.bus=unix:path=" + directory.resolve("nobody-here"),
					"ipc.dbus.service-name=dev.ipcboot.test.Lonely")
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new IpcConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("ipc.dbus.bus").contains("nobody-here");
				assertThat(analysis.getAction()).contains("private");
			});
	}

	@Test
	void busThatIsNeitherAKeywordNorAnAddressFailsStartup() {
		this.runner.withPropertyValues("ipc.dbus.bus=sesion", "ipc.dbus.service-name=dev.ipcboot.test.Typo")
			.run((context) -> {
				FailureAnalysis analysis = new IpcConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("ipc.dbus.bus").contains("'sesion'");
			});
	}

	@Test
	void signalWithoutMemberFailsStartupNamingTheProperty() {
		this.runner
			.withPropertyValues("ipc.dbus.bus=" + daemon.address(),
					"ipc.dbus.signals.broken.interface=dev.ipcboot.test.Peer")
			.run((context) -> {
				FailureAnalysis analysis = new IpcConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("ipc.dbus.signals.broken.member");
			});
	}

	@Test
	void watchedNameTakenAndReleasedByAPythonPeerPublishesAppearedAndVanished() throws Exception {
		List<DBusNameOwnerChangedEvent> events = new CopyOnWriteArrayList<>();
		try (PythonPeer peer = PythonPeer.start(daemon.address())) {
			this.runner
				.withPropertyValues("ipc.dbus.bus=" + daemon.address(), "ipc.dbus.watch-names=dev.ipcboot.test.Watched")
				.withBean("recorder", ApplicationListener.class,
						() -> (ApplicationListener<DBusNameOwnerChangedEvent>) events::add)
				.run((context) -> {
					DBusTemplate template = context.getBean(DBusTemplate.class);
					peer.call(template, "TakeName", "dev.ipcboot.test.Watched");
					await().atMost(Duration.ofSeconds(5)).until(() -> !events.isEmpty());
					peer.call(template, "ReleaseName", "dev.ipcboot.test.Watched");
					await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 2);
				});
		}
		assertThat(events).extracting(DBusNameOwnerChangedEvent::change)
			.containsExactly(Change.APPEARED, Change.VANISHED);
		assertThat(events.get(0).name()).isEqualTo("dev.ipcboot.test.Watched");
		assertThat(events.get(0).newOwner()).startsWith(":");
		assertThat(events.get(1).oldOwner()).isEqualTo(events.get(0).newOwner());
	}

	@Configuration(proxyBeanMethods = false)
	record OrderedCustomizer(int order, String name, List<String> applied,
			List<BusConnection> customized) implements BusConnectionCustomizer, Ordered {

		@Override
		public void customize(BusConnection connection) {
			this.applied.add(this.name + ":" + (connection.isConnected() ? "connected" : "not connected"));
			this.customized.add(connection);
		}

		@Override
		public int getOrder() {
			return this.order;
		}

	}

	static class OwnTemplate {

		final DBusTemplate template = DBusTemplate.connect(daemon.address());

		@Bean(destroyMethod = "close")
		DBusTemplate myTemplate() {
			return this.template;
		}

	}

}
