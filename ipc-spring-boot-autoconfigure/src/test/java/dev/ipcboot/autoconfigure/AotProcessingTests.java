package dev.ipcboot.autoconfigure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.GeneratedFiles.Kind;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.context.annotation.AnnotationConfigUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.javapoet.ClassName;

import dev.ipcboot.IpcConfigurationException;
import dev.ipcboot.internal.IpcMetrics;
import dev.ipcboot.listener.IpcListener;
import dev.ipcboot.semaphore.SystemSemaphoreFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Ahead-of-time processing, as {@code spring-boot:process-aot} runs it, of an application
 * that configures every facility: it completes, the named beans are written out as calls
 * of their factory methods, and the listener's hints are in the result.
 */
class AotProcessingTests {

	private static final Map<String, Object> EVERY_FACILITY = Map.ofEntries(
			Map.entry("ipc.servers.orders.transport", "local"), Map.entry("ipc.servers.orders.path", "/tmp/x/o.sock"),
			Map.entry("ipc.servers.admin.transport", "tcp"), Map.entry("ipc.servers.admin.port", "0"),
			Map.entry("ipc.clients.desk.transport", "tcp"), Map.entry("ipc.clients.desk.port", "7471"),
			Map.entry("ipc.clients.feed.path", "/tmp/x/feed.sock"), Map.entry("ipc.clients.feed.subscribe", "true"),
			Map.entry("ipc.shared-memory.frames.size", "4KB"), Map.entry("ipc.semaphores.jobs.initial-value", "1"),
			Map.entry("ipc.http.clients.docker.path", "/tmp/x/docker.sock"), Map.entry("ipc.dbus.bus", "private"),
			Map.entry("ipc.dbus.signals.shutdown.interface", "a.b.C"),
			Map.entry("ipc.dbus.signals.shutdown.member", "M"), Map.entry("ipc.processes.worker.command", "cat"),
			Map.entry("ipc.processes.worker.autostart", "false"), Map.entry("ipc.session.commit-timeout", "10s"));

	@Test
	void applicationWithEveryFacilityIsProcessedAndNamedBeansUseFactoryMethods() {
		DefaultGenerationContext generation = new DefaultGenerationContext(
				new ClassNameGenerator(ClassName.get("com.example", "EveryFacility")), new InMemoryGeneratedFiles());
		GenericApplicationContext context = new GenericApplicationContext();
		context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("test", EVERY_FACILITY));
		AnnotationConfigUtils.registerAnnotationConfigProcessors(context);
		context.registerBean(EveryFacility.class);
		new ApplicationContextAotGenerator().processAheadOfTime(context, generation);
		generation.writeGeneratedContent();
		String sources = String.join("\n", sources((InMemoryGeneratedFiles) generation.getGeneratedFiles()));
		assertThat(sources)
			.contains("forFactoryMethod(SocketServerRegistrar.class, \"server\"",
					"forFactoryMethod(SocketClientRegistrar.class, \"client\"",
					"forFactoryMethod(SharedMemoryBeanRegistrar.class, \"segment\"",
					"forFactoryMethod(SemaphoreBeanRegistrar.class, \"semaphore\"",
					"forFactoryMethod(HttpClientRegistrar.RestClients.class, \"connection\"",
					"forFactoryMethod(HttpClientRegistrar.RestClients.class, \"restClient\"",
					"forFactoryMethod(HttpClientRegistrar.WebClients.class, \"connection\"",
					"forFactoryMethod(HttpClientRegistrar.WebClients.class, \"webClient\"")
			.contains("addIndexedArgumentValue(0, \"jobs\")")
			.contains(
					"new AutowireCandidateQualifier(\"org.springframework.beans.factory.annotation.Qualifier\", \"jobs\")")
			.contains("DBusConfiguration", "ProcessManagerConfiguration", "SessionAutoConfiguration");
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Listener.class, "onOrder"))
			.accepts(generation.getRuntimeHints());
	}

	@Test
	void entryGoneSinceProcessingFailsNamingIt() {
		assertThatExceptionOfType(IpcConfigurationException.class).isThrownBy(
				() -> SemaphoreBeanRegistrar.semaphore("jobs", new SemaphoreProperties(), new SystemSemaphoreFactory()))
			.satisfies((ex) -> assertThat(ex.getProperty()).isEqualTo("ipc.semaphores.jobs"))
			.satisfies((ex) -> assertThat(ex.getAction()).contains("run process-aot again"));
	}

	private static List<String> sources(InMemoryGeneratedFiles files) {
		List<String> sources = new ArrayList<>();
		files.getGeneratedFiles(Kind.SOURCE).values().forEach((source) -> {
			try {
				sources.add(new String(source.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		});
		return sources;
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ PropertyPlaceholderAutoConfiguration.class, IpcListenerAutoConfiguration.class,
			SocketAutoConfiguration.class, SharedMemoryAutoConfiguration.class, SemaphoreAutoConfiguration.class,
			DBusAutoConfiguration.class, ProcessAutoConfiguration.class, SessionAutoConfiguration.class,
			IpcMetricsAutoConfiguration.class, HttpAutoConfiguration.class })
	static class EveryFacility {

		@Bean
		Listener listener() {
			return new Listener();
		}

	}

	static class Listener {

		@IpcListener("orders")
		String onOrder(String order) {
			return order;
		}

	}

}
