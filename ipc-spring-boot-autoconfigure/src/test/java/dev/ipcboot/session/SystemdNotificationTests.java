package dev.ipcboot.session;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.ipcboot.autoconfigure.SessionAutoConfiguration;
import dev.ipcboot.testsupport.OurThreads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * systemd notification against a real Unix datagram socket bound by a foreign peer and
 * given to the application as {@code NOTIFY_SOCKET}.
 */
class SystemdNotificationTests {

	@TempDir
	Path temp;

	@ParameterizedTest
	@ValueSource(strings = { "path", "abstract" })
	void notifiesReadyAfterStartStatusOnRequestAndStoppingAtClose(String kind) throws Exception {
		String address = kind.equals("path") ? this.temp.resolve("notify.sock").toString()
				: "@ipcboot-notify-" + UUID.randomUUID();
		try (NotifySocketPeer systemd = NotifySocketPeer.bind(address)) {
			ConfigurableApplicationContext context = run(NoWatchdog.class, "NOTIFY_SOCKET=" + address);
			await().atMost(Duration.ofSeconds(10)).until(() -> systemd.messages().contains("READY=1"));
			context.getBean(SystemdNotifier.class).status("Serving 3 clients");
			await().atMost(Duration.ofSeconds(10)).until(() -> systemd.messages().contains("STATUS=Serving 3 clients"));
			assertThat(systemd.messages()).doesNotContain("STOPPING=1");
			context.close();
			await().atMost(Duration.ofSeconds(10)).until(() -> systemd.messages().contains("STOPPING=1"));
			assertThat(systemd.messages()).containsSubsequence("READY=1", "STATUS=Serving 3 clients", "STOPPING=1");
			assertThat(systemd.count("STOPPING=1")).isOne();
			assertThat(systemd.messages()).noneMatch((message) -> message.startsWith("WATCHDOG"));
		}
	}

	@Test
	void pingsTheWatchdogAtHalfOfWatchdogUsec() throws Exception {
		String address = this.temp.resolve("notify.sock").toString();
		try (NotifySocketPeer systemd = NotifySocketPeer.bind(address)) {
			try (ConfigurableApplicationContext context = run(Watchdog.class, "NOTIFY_SOCKET=" + address,
					"WATCHDOG_USEC=1000000")) {
				await().atMost(Duration.ofSeconds(20)).until(() -> systemd.count("WATCHDOG=1") >= 7);
				List<Duration> intervals = new ArrayList<>(systemd.intervalsOf("WATCHDOG=1"));
				Collections.sort(intervals);
				Duration median = intervals.get(intervals.size() / 2);
				assertThat(median).isBetween(Duration.ofMillis(400), Duration.ofMillis(750));
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> OurThreads.alive("ipc-session").isEmpty());
		}
	}

	@Test
	void sendsNoWatchdogPingsWhileHealthIsDownAndResumesWhenItIsUp() throws Exception {
		String address = this.temp.resolve("notify.sock").toString();
		try (NotifySocketPeer systemd = NotifySocketPeer.bind(address);
				ConfigurableApplicationContext context = run(Watchdog.class, "NOTIFY_SOCKET=" + address,
						"WATCHDOG_USEC=400000")) {
			Watchdog health = context.getBean(Watchdog.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> systemd.count("WATCHDOG=1") >= 2);
			health.healthy.set(false);
			int checksAtFlip = health.checks.get();
			// the check after the next one started after a ping of a healthy check was
			// sent
			await().atMost(Duration.ofSeconds(10)).until(() -> health.checks.get() >= checksAtFlip + 3);
			long pings = systemd.count("WATCHDOG=1");
			await().during(Duration.ofMillis(1200))
				.atMost(Duration.ofSeconds(5))
				.until(() -> systemd.count("WATCHDOG=1") == pings);
			assertThat(health.checks.get()).isGreaterThanOrEqualTo(checksAtFlip + 5);
			health.healthy.set(true);
			await().atMost(Duration.ofSeconds(10)).until(() -> systemd.count("WATCHDOG=1") > pings);
		}
	}

	private static ConfigurableApplicationContext run(Class<?> configuration, String... properties) {
		return new SpringApplicationBuilder(configuration).web(WebApplicationType.NONE)
			.properties(properties)
			.properties("spring.main.banner-mode=off")
			.run();
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(SessionAutoConfiguration.class)
	static class NoWatchdog {

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(SessionAutoConfiguration.class)
	static class Watchdog {

		final AtomicBoolean healthy = new AtomicBoolean(true);

		final AtomicInteger checks = new AtomicInteger();

		@Bean
		WatchdogHealthCheck testHealth() {
			return () -> {
				this.checks.incrementAndGet();
				return this.healthy.get();
			};
		}

	}

}
