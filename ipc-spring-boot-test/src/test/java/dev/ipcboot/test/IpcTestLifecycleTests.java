package dev.ipcboot.test;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * What {@code @IpcTest} leaves after a test class: nothing. An {@code @IpcTest} class is
 * run inside this test, starts an application with {@code SpringApplication.run} on its
 * resources (a socket in the directory, a shared-memory segment under the unique key, the
 * private bus), and records them; afterwards the directory, the socket, the segment and
 * the bus daemon are gone and the system properties are as before.
 */
class IpcTestLifecycleTests {

	static final Map<String, Object> seen = new ConcurrentHashMap<>();

	@Test
	void afterTheClassTheDirectoryTheBusAndThePropertiesAreGone() {
		System.clearProperty(IpcTestResources.DIR);
		TestExecutionSummary summary = run(UsesResources.class);
		assertThat(summary.getTestsSucceededCount()).as(summary.getFailures().toString()).isEqualTo(2);
		Path directory = (Path) seen.get("directory");
		assertThat(directory).isNotNull().doesNotExist();
		assertThat((Path) seen.get("socket")).doesNotExist();
		assertThat(Path.of("/dev/shm", (String) seen.get("key"))).doesNotExist();
		ProcessHandle bus = ProcessHandle.of((Long) seen.get("busPid")).orElse(null);
		assertThat(bus == null || !bus.isAlive()).as("bus daemon %s still running", seen.get("busPid")).isTrue();
		assertThat(System.getProperty(IpcTestResources.DIR)).isNull();
		assertThat(System.getProperty(IpcTestResources.BUS_ADDRESS)).isNull();
	}

	@Test
	void eachClassGetsItsOwnIdAndDirectory() {
		run(UsesResources.class);
		String first = (String) seen.get("id");
		run(UsesResources.class);
		assertThat(seen.get("id")).isNotEqualTo(first);
	}

	@Test
	void missingBusIsAClearErrorNotAnUnresolvedPlaceholder() {
		run(NoBus.class);
		assertThat((String) seen.get("noBus")).contains("@IpcTest(bus = true)");
	}

	private static TestExecutionSummary run(Class<?> testClass) {
		LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
			.selectors(selectClass(testClass))
			.build();
		Launcher launcher = LauncherFactory.create();
		SummaryGeneratingListener listener = new SummaryGeneratingListener();
		launcher.execute(request, listener);
		return listener.getSummary();
	}

	@IpcTest(bus = true)
	static class UsesResources {

		static ConfigurableApplicationContext context;

		@BeforeAll
		static void start(IpcTestResources resources) {
			seen.put("directory", resources.directory());
			seen.put("socket", resources.socket("orders"));
			seen.put("key", resources.key("frames"));
			seen.put("id", resources.id());
			SpringApplication application = new SpringApplication(App.class);
			application.setWebApplicationType(WebApplicationType.NONE);
			context = application.run("--ipc.servers.orders.path=${ipc.test.dir}/orders.sock",
					"--ipc.shared-memory.frames.key=${ipc.test.id}-frames", "--ipc.shared-memory.frames.size=4KB",
					"--ipc.dbus.bus=${ipc.test.bus-address}");
			seen.put("busPid", busPid(resources));
		}

		@Test
		void resourcesAreInUse(IpcTestResources resources) {
			assertThat(resources.socket("orders")).exists();
			assertThat(Path.of("/dev/shm", resources.key("frames"))).exists();
		}

		@Test
		void propertiesAreSet(IpcTestResources resources) {
			assertThat(System.getProperty(IpcTestResources.DIR)).isEqualTo(resources.directory().toString());
			assertThat(System.getProperty(IpcTestResources.BUS_ADDRESS)).isEqualTo(resources.busAddress());
		}

		@org.junit.jupiter.api.AfterAll
		static void stop() {
			context.close();
		}

		private static long busPid(IpcTestResources resources) {
			// the daemon is the one child of ours whose command line names the directory
			return ProcessHandle.current()
				.children()
				.filter((child) -> child.info().commandLine().orElse("").contains(resources.directory().toString()))
				.findFirst()
				.orElseThrow()
				.pid();
		}

	}

	@IpcTest
	static class NoBus {

		@Test
		void busAddressWithoutBus(IpcTestResources resources) {
			try {
				resources.busAddress();
			}
			catch (IllegalStateException ex) {
				seen.put("noBus", ex.getMessage());
			}
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

	}

}
