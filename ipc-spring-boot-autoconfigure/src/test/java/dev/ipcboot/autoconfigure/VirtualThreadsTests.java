package dev.ipcboot.autoconfigure;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.ipcboot.IpcThreads;
import dev.ipcboot.dbus.DBusTemplate;
import dev.ipcboot.listener.IpcListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code spring.threads.virtual.enabled}: the threads the starter starts for a socket
 * listener, a process's output and a D-Bus signal callback are virtual on Java 21+ and
 * platform threads on Java 17, and platform threads without the property. The build runs
 * this class a second time on Java 25 (surefire execution {@code virtual-threads}, with
 * {@code -Dipcboot.expect-virtual-threads=true}), so the virtual case is always checked.
 */
class VirtualThreadsTests {

	@Test
	void withVirtualThreadsEnabledListenerProcessAndDBusThreadsAreVirtualOnJava21AndLater() throws Exception {
		if (Boolean.getBoolean("ipcboot.expect-virtual-threads")) {
			assertThat(IpcThreads.virtualThreadsAvailable())
				.as("this run is meant for Java 21+, but runs on Java " + Runtime.version())
				.isTrue();
		}
		Map<String, Thread> threads = listenerThreads("spring.threads.virtual.enabled=true");
		boolean expected = IpcThreads.virtualThreadsAvailable();
		assertThat(threads).allSatisfy(
				(channel, thread) -> assertThat(isVirtual(thread)).as(channel + " on " + thread).isEqualTo(expected));
	}

	@Test
	void withoutThePropertyTheThreadsArePlatformThreads() throws Exception {
		Map<String, Thread> threads = listenerThreads("spring.threads.virtual.enabled=false");
		assertThat(threads)
			.allSatisfy((channel, thread) -> assertThat(isVirtual(thread)).as(channel + " on " + thread).isFalse());
	}

	private static Map<String, Thread> listenerThreads(String virtualProperty) throws Exception {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
			.web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.properties(virtualProperty, "ipc.servers.lines.transport=tcp", "ipc.servers.lines.port=0",
					"ipc.servers.lines.framing=line", "ipc.processes.echo.command=/bin/echo,hello",
					"ipc.processes.echo.restart=never", "ipc.dbus.bus=private",
					"ipc.dbus.signals.pings.interface=dev.ipcboot.test.Ping", "ipc.dbus.signals.pings.member=Ping")
			.run()) {
			ThreadRecorder recorder = context.getBean(ThreadRecorder.class);
			int port = Integer.parseInt(context.getEnvironment().getProperty("local.ipc.server.lines.port"));
			try (Socket socket = new Socket("127.0.0.1", port)) {
				socket.setSoTimeout(10_000);
				socket.getOutputStream().write("hi\n".getBytes(StandardCharsets.UTF_8));
				assertThat(new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
					.readLine()).isEqualTo("ok");
			}
			DBusTemplate template = context.getBean(DBusTemplate.class);
			await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
				if (!recorder.threads.containsKey("pings")) {
					template.emit("/ping", "dev.ipcboot.test.Ping", "Ping", "s", "ping");
				}
				assertThat(recorder.threads).containsOnlyKeys("lines", "echo", "pings");
			});
			return Map.copyOf(recorder.threads);
		}
	}

	private static boolean isVirtual(Thread thread) {
		if (!IpcThreads.virtualThreadsAvailable()) {
			return false;
		}
		try {
			return (boolean) Thread.class.getMethod("isVirtual").invoke(thread);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ IpcListenerAutoConfiguration.class, SocketAutoConfiguration.class,
			ProcessAutoConfiguration.class, DBusAutoConfiguration.class })
	static class App {

		@Bean
		ThreadRecorder threadRecorder() {
			return new ThreadRecorder();
		}

	}

	static class ThreadRecorder {

		final Map<String, Thread> threads = new ConcurrentHashMap<>();

		@IpcListener("lines")
		String line(String line) {
			this.threads.put("lines", Thread.currentThread());
			return "ok";
		}

		@IpcListener("echo")
		void output(String line) {
			this.threads.put("echo", Thread.currentThread());
		}

		@IpcListener("pings")
		void ping(String text) {
			this.threads.put("pings", Thread.currentThread());
		}

	}

}
