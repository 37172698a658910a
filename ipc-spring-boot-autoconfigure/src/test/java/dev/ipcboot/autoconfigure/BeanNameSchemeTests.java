package dev.ipcboot.autoconfigure;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.type.MethodMetadata;

import dev.ipcboot.process.ProcessManager;
import dev.ipcboot.semaphore.SystemSemaphoreFactory;
import dev.ipcboot.shm.SharedMemoryFactory;
import dev.ipcboot.testsupport.shm.SystemObjects;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One bean-name scheme (ADR 0017): every bean the auto-configuration defines is named
 * with the {@code ipc} prefix, a facility's singletons {@code ipc<What>} and its named
 * entries by their property path ({@code ipc.shared-memory.<name>}); the names used
 * before the scheme still resolve, to the same bean, as deprecated aliases until 1.0.
 */
class BeanNameSchemeTests {

	/** Old name to new name, as ADR 0017 lists them. */
	private static final Map<String, String> RENAMED = renamed();

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(AutoConfigurations
		.of(IpcListenerAutoConfiguration.class, IpcMetricsAutoConfiguration.class, SharedMemoryAutoConfiguration.class,
				SemaphoreAutoConfiguration.class, ProcessAutoConfiguration.class, DBusAutoConfiguration.class,
				HttpAutoConfiguration.class, SocketAutoConfiguration.class, SslAutoConfiguration.class));

	@TempDir
	Path directory;

	private static Map<String, String> renamed() {
		Map<String, String> renamed = new LinkedHashMap<>();
		renamed.put("sharedMemoryFactory", "ipcSharedMemoryFactory");
		renamed.put("systemSemaphoreFactory", "ipcSystemSemaphoreFactory");
		renamed.put("processChannels", "ipcProcessChannels");
		renamed.put("processManager", "ipcProcessManager");
		renamed.put("dbusConnectionResource", "ipcDBusConnectionResource");
		renamed.put("dbusResources", "ipcDBusResources");
		return renamed;
	}

	private static Map<String, String> renamedInTheSession() {
		Map<String, String> renamed = new LinkedHashMap<>();
		renamed.put("sessionSavePhase", "ipcSessionSavePhase");
		renamed.put("sessionEventPublisher", "ipcSessionEventPublisher");
		renamed.put("sessionTerminationSignals", "ipcSessionTerminationSignals");
		renamed.put("sessionStartupReport", "ipcSessionStartupReport");
		renamed.put("logindMonitor", "ipcLogindMonitor");
		renamed.put("systemdNotifier", "ipcSystemdNotifier");
		renamed.put("systemdReadiness", "ipcSystemdReadiness");
		renamed.put("systemdWatchdog", "ipcSystemdWatchdog");
		renamed.put("healthEndpointWatchdogHealthCheck", "ipcHealthEndpointWatchdogHealthCheck");
		return renamed;
	}

	private ApplicationContextRunner everyFacility() {
		String key = SystemObjects.uniqueKey("names");
		// the bus is not reached: nothing is exported or subscribed, so nothing connects
		return this.runner.withPropertyValues("ipc.shared-memory.frames.key=" + key,
				"ipc.shared-memory.frames.size=4KB", "ipc.semaphores.jobs.key=" + key + "-jobs",
				"ipc.processes.worker.command[0]=cat", "ipc.processes.worker.autostart=false",
				"ipc.dbus.bus=unix:path=" + this.directory.resolve("no-bus"),
				"ipc.http.clients.docker.path=" + this.directory.resolve("docker.sock"),
				"ipc.servers.orders.path=" + this.directory.resolve("orders.sock"),
				"ipc.clients.feed.path=" + this.directory.resolve("orders.sock"));
	}

	@Test
	void everyBeanTheAutoConfigurationDefinesHasTheIpcPrefix() {
		everyFacility().run((context) -> {
			assertThat(context).hasNotFailed();
			List<String> ours = beansDefinedByTheAutoConfiguration(context);
			assertThat(ours).as("beans found").hasSizeGreaterThan(20);
			assertThat(ours).contains("ipcSharedMemoryFactory", "ipcSystemSemaphoreFactory", "ipcProcessManager",
					"ipcDBusResources", "ipc.shared-memory.frames", "ipc.semaphores.jobs", "ipc.http.clients.docker",
					"ipc.servers.orders", "ipc.clients.feed", "ipcSocketEngine");
			assertThat(ours).allSatisfy((name) -> assertThat(name).startsWith("ipc"));
		});
	}

	@Test
	void theNamesBeforeTheSchemeStillResolveToTheSameBean() {
		everyFacility().run((context) -> {
			assertThat(context).hasNotFailed();
			RENAMED.forEach((old, current) -> {
				assertThat(context.getBeanFactory().getAliases(current)).as(current).contains(old);
				assertThat(context.getBean(old)).as(old).isSameAs(context.getBean(current));
			});
			assertThat(context.getBean("sharedMemoryFactory")).isInstanceOf(SharedMemoryFactory.class);
			assertThat(context.getBean("systemSemaphoreFactory")).isInstanceOf(SystemSemaphoreFactory.class);
			assertThat(context.getBean("processManager")).isInstanceOf(ProcessManager.class);
		});
	}

	@Test
	void theSessionBeansFollowTheSchemeAndKeepTheirOldNames() {
		// a notify socket nobody listens on and a bus that is not there: the beans exist,
		// their notifications and the logind connection fail (logged), nothing else
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(SessionAutoConfiguration.class))
			.withPropertyValues("NOTIFY_SOCKET=" + this.directory.resolve("notify"), "WATCHDOG_USEC=3000000",
					"ipc.session.logind.enabled=true",
					"ipc.session.logind.bus=unix:path=" + this.directory.resolve("no-bus"))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				List<String> ours = beansDefinedByTheAutoConfiguration(context);
				assertThat(ours).containsAll(renamedInTheSession().values());
				assertThat(ours).allSatisfy((name) -> assertThat(name).startsWith("ipc"));
				renamedInTheSession().forEach(
						(old, current) -> assertThat(context.getBean(old)).as(old).isSameAs(context.getBean(current)));
			});
	}

	@Test
	void theOnDemandProcessManagerKeepsItsOldNameToo() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean("processManager")).isInstanceOf(ProcessManager.class)
				.isSameAs(context.getBean("ipcProcessManager"));
		});
	}

	/**
	 * Every bean of the context but Spring's own (infrastructure, and what Boot's SSL
	 * auto-configuration, which the socket servers use, defines) and the configuration
	 * classes (named by their class): what is left is what our auto-configurations
	 * define, whether by a {@code @Bean} method or a registrar.
	 */
	private static List<String> beansDefinedByTheAutoConfiguration(AssertableApplicationContext context) {
		List<String> ours = new ArrayList<>();
		for (String name : context.getBeanFactory().getBeanDefinitionNames()) {
			if (name.startsWith("org.springframework.") || name.startsWith("dev.ipcboot.autoconfigure.")
					|| name.startsWith("spring.") || isSpringsOwn(context.getBeanFactory().getBeanDefinition(name))) {
				continue;
			}
			ours.add(name);
		}
		return ours;
	}

	private static boolean isSpringsOwn(BeanDefinition definition) {
		MethodMetadata factoryMethod = (definition instanceof AnnotatedBeanDefinition annotated)
				? annotated.getFactoryMethodMetadata() : null;
		return factoryMethod != null && factoryMethod.getDeclaringClassName().startsWith("org.springframework.");
	}

}
