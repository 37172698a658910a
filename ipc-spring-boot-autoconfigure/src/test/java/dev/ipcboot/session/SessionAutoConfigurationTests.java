package dev.ipcboot.session;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXDatagramSocket;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

import dev.ipcboot.IpcConfigurationException;
import dev.ipcboot.autoconfigure.SessionAutoConfiguration;
import dev.ipcboot.autoconfigure.SessionProperties;
import dev.ipcboot.session.internal.LogindMonitor;
import dev.ipcboot.session.internal.SavePhase;
import dev.ipcboot.session.internal.SessionEventPublisher;
import dev.ipcboot.session.internal.SystemdReadiness;
import dev.ipcboot.session.internal.SystemdWatchdog;
import dev.ipcboot.session.internal.TerminationSignals;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@link SessionAutoConfiguration} creates, and when it backs off.
 */
@ExtendWith(OutputCaptureExtension.class)
class SessionAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SessionAutoConfiguration.class))
		// LogindTests reach a logind stand-in; these never touch the machine's system bus
		.withPropertyValues("NOTIFY_SOCKET=", "ipc.session.logind.enabled=false");

	@Test
	void defaultsProvideTheSavePhaseTheEventPublisherAndTheSignalHandlersButNoSystemdWithoutNotifySocket() {
		this.runner.withUserConfiguration(ShutdownListener.class).run((context) -> {
			assertThat(context).hasSingleBean(SavePhase.class)
				.hasSingleBean(SessionEventPublisher.class)
				.hasSingleBean(TerminationSignals.class)
				.doesNotHaveBean(SystemdNotifier.class)
				.doesNotHaveBean(SystemdWatchdog.class);
			assertThat(context.getBean(SavePhase.class).commitTimeout()).isEqualTo(Duration.ofSeconds(10));
			// a build started in the background (or under nohup) inherits SIGINT ignored,
			// and an ignored signal is left alone
			assertThat(context.getBean(TerminationSignals.class).handledSignals())
				.contains(ignoredByThisProcess(2) ? new String[] { "TERM" } : new String[] { "TERM", "INT" });
			SessionProperties properties = context.getBean(SessionProperties.class);
			assertThat(properties.getLogind().getBus()).isEqualTo("system");
			assertThat(properties.getLogind().getInhibit()).containsExactly(InhibitKind.SHUTDOWN, InhibitKind.SLEEP);
		});
	}

	@Test
	void withoutAnythingAskingForTheSessionNoSessionBeanIsRegistered() {
		// ipc.session.logind.enabled=false and an empty NOTIFY_SOCKET ask for nothing
		this.runner.run((context) -> assertThat(context).hasNotFailed()
			.doesNotHaveBean(SavePhase.class)
			.doesNotHaveBean(SessionEventPublisher.class)
			.doesNotHaveBean(TerminationSignals.class)
			.doesNotHaveBean("sessionStartupReport"));
	}

	@Test
	void anIpcSessionPropertyAsksForTheSessionButWithoutAListenerOfTheShutdownEventNoSignalHandlerIsInstalled() {
		this.runner.withPropertyValues("ipc.session.commit-timeout=5s").run((context) -> {
			assertThat(context.getBean(TerminationSignals.class).handledSignals()).isEmpty();
			assertThat(context.getBean(TerminationSignals.class).isRunning()).isTrue();
		});
	}

	@Test
	void aCatchAllListenerDoesNotCountAsAListenerOfTheShutdownEvent() {
		this.runner.withUserConfiguration(CatchAllListener.class)
			.run((context) -> assertThat(context).doesNotHaveBean(TerminationSignals.class));
		this.runner.withUserConfiguration(CatchAllListener.class)
			.withPropertyValues("ipc.session.commit-timeout=5s")
			.run((context) -> assertThat(context.getBean(TerminationSignals.class).handledSignals()).isEmpty());
	}

	@Test
	void aListenerTheContextWasGivenAsksForTheSession() {
		this.runner.withInitializer((context) -> context.addApplicationListener(new ShutdownApplicationListener()))
			.run((context) -> assertThat(context.getBean(TerminationSignals.class).handledSignals()).contains("TERM"));
	}

	@Test
	void anApplicationListenerBeanOfASessionEventAsksForTheSession() {
		this.runner.withBean(ShutdownApplicationListener.class)
			.run((context) -> assertThat(context.getBean(TerminationSignals.class).handledSignals()).contains("TERM"));
	}

	@Test
	void aBeanMethodReturningApplicationListenerOfASessionEventAsALambdaAsksForTheSession() {
		// the declared type ApplicationListener<SessionShutdownEvent> shows the event
		this.runner.withUserConfiguration(LambdaShutdownListenerConfiguration.class)
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(SessionEventPublisher.class));
	}

	@Test
	void aLambdaListenerOfTheShutdownEventTheContextWasGivenReceivesItWhenTheContextCloses() {
		List<SessionShutdownEvent> received = new CopyOnWriteArrayList<>();
		ApplicationListener<SessionShutdownEvent> lambda = received::add;
		this.runner.withInitializer((context) -> context.addApplicationListener(lambda)).run((context) -> {
			assertThat(context).hasNotFailed();
			context.close();
			assertThat(received).extracting(SessionShutdownEvent::reason)
				.contains(SessionShutdownEvent.Reason.CONTEXT_CLOSING);
		});
	}

	@Test
	void aListenerOfEverySessionEventInstallsTheSignalHandlers() {
		this.runner.withUserConfiguration(SessionListener.class)
			.run((context) -> assertThat(context.getBean(TerminationSignals.class).handledSignals()).contains("TERM"));
	}

	@Test
	void terminationSignalHandlersAreRemovedWhenTheContextCloses() {
		AtomicReference<TerminationSignals> signals = new AtomicReference<>();
		this.runner.withUserConfiguration(ShutdownListener.class)
			.run((context) -> signals.set(context.getBean(TerminationSignals.class)));
		assertThat(signals.get().isRunning()).isFalse();
		assertThat(signals.get().handledSignals()).isEmpty();
	}

	@Test
	void sessionEnabledFalseSwitchesEverythingOff() {
		this.runner.withPropertyValues("ipc.session.enabled=false", "NOTIFY_SOCKET=/run/systemd/notify")
			.run((context) -> assertThat(context).doesNotHaveBean(SavePhase.class)
				.doesNotHaveBean(SessionEventPublisher.class)
				.doesNotHaveBean(TerminationSignals.class)
				.doesNotHaveBean(SystemdNotifier.class));
	}

	@Test
	void userSavePhaseReplacesOurs() {
		this.runner.withUserConfiguration(UserSavePhase.class)
			.run((context) -> assertThat(context.getBean(SavePhase.class).commitTimeout())
				.isEqualTo(Duration.ofSeconds(3)));
	}

	@Test
	void negativeCommitTimeoutFailsStartUpNamingTheProperty() {
		this.runner.withPropertyValues("ipc.session.commit-timeout=-1s")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOfSatisfying(IpcConfigurationException.class, (ex) -> {
					assertThat(ex.getProperty()).isEqualTo("ipc.session.commit-timeout");
					assertThat(ex.getAction()).contains("10s");
				}));
	}

	@Test
	void notifySocketSetCreatesTheNotifierAndWatchdogUsecTheWatchdogAtHalfItsValue() {
		this.runner.withPropertyValues("NOTIFY_SOCKET=/run/ipcboot-test/notify", "WATCHDOG_USEC=3000000")
			.run((context) -> {
				assertThat(context).hasSingleBean(SystemdNotifier.class).hasSingleBean(SystemdReadiness.class);
				assertThat(context.getBean(SystemdWatchdog.class).interval()).isEqualTo(Duration.ofMillis(1500));
			});
	}

	@Test
	void watchdogMeantForAnotherProcessIsNotOurs() {
		this.runner
			.withPropertyValues("NOTIFY_SOCKET=@ipcboot-test", "WATCHDOG_USEC=3000000",
					"WATCHDOG_PID=" + (ProcessHandle.current().pid() + 1))
			.run((context) -> assertThat(context).hasSingleBean(SystemdNotifier.class)
				.doesNotHaveBean(SystemdWatchdog.class));
	}

	@Test
	void systemdEnabledFalseSkipsNotificationEvenUnderSystemd() {
		this.runner.withPropertyValues("NOTIFY_SOCKET=/run/systemd/notify", "ipc.session.systemd.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(SavePhase.class)
				.doesNotHaveBean(SystemdNotifier.class));
	}

	@Test
	void withoutJunixsocketSystemdNotificationIsSkippedAndTheRestWorks(CapturedOutput output) {
		this.runner.withPropertyValues("NOTIFY_SOCKET=/run/systemd/notify")
			.withClassLoader(new FilteredClassLoader(AFUNIXDatagramSocket.class))
			.run((context) -> assertThat(context).hasSingleBean(SessionEventPublisher.class)
				.doesNotHaveBean(SystemdNotifier.class));
		assertThat(output).contains("systemd notification skipped: junixsocket is not on the class path");
	}

	@Test
	void notifySocketThatIsNotAUnixAddressIsSkippedWithAReason(CapturedOutput output) {
		this.runner.withPropertyValues("NOTIFY_SOCKET=vsock:2:1234")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(SystemdNotifier.class));
		assertThat(output).contains("NOTIFY_SOCKET=vsock:2:1234 is neither an absolute path nor an abstract socket");
	}

	@Test
	void absentNotifySocketStartsNormallyAndSaysOnceWhatItSkipped(CapturedOutput output) {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Plain.class)
			.web(WebApplicationType.NONE)
			.properties("NOTIFY_SOCKET=", "spring.main.banner-mode=off", "ipc.session.logind.enabled=false",
					"ipc.session.commit-timeout=10s")
			.run()) {
			assertThat(context.isActive()).isTrue();
		}
		String skipped = "Session lifecycle: systemd notification skipped: NOTIFY_SOCKET is not set";
		assertThat(output.getAll().split(Pattern.quote(skipped), -1)).hasSize(2);
		assertThat(output).doesNotContain("logind skipped").doesNotContain("logind on");
	}

	@Test
	void notifySocketNobodyListensOnIsWarnedAboutOnceAndTheApplicationRuns(@TempDir Path temp, CapturedOutput output) {
		String missing = temp.resolve("no-systemd-here.sock").toString();
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Plain.class)
			.web(WebApplicationType.NONE)
			.properties("NOTIFY_SOCKET=" + missing, "spring.main.banner-mode=off")
			.run()) {
			assertThat(context.isActive()).isTrue();
			context.getBean(SystemdNotifier.class).status("still running");
		}
		String warning = "Could not notify systemd through NOTIFY_SOCKET=" + missing;
		assertThat(output.getAll().split(Pattern.quote(warning), -1)).hasSize(2);
	}

	@Test
	void healthEndpointDecidesWhetherTheWatchdogPings() {
		ToggledHealth health = new ToggledHealth();
		this.runner
			.withConfiguration(AutoConfigurations.of(HealthContributorRegistryAutoConfiguration.class,
					HealthEndpointAutoConfiguration.class))
			.withBean("toggled", HealthIndicator.class, () -> health)
			.withPropertyValues("NOTIFY_SOCKET=/run/ipcboot-test/notify", "WATCHDOG_USEC=3000000")
			.run((context) -> {
				WatchdogHealthCheck check = context.getBean(WatchdogHealthCheck.class);
				assertThat(check.isHealthy()).isTrue();
				health.up = false;
				assertThat(check.isHealthy()).isFalse();
			});
	}

	@Test
	void userWatchdogHealthCheckReplacesTheHealthEndpoint() {
		this.runner
			.withConfiguration(AutoConfigurations.of(HealthContributorRegistryAutoConfiguration.class,
					HealthEndpointAutoConfiguration.class))
			.withBean("mine", WatchdogHealthCheck.class, () -> () -> false)
			.withPropertyValues("NOTIFY_SOCKET=/run/ipcboot-test/notify", "WATCHDOG_USEC=3000000")
			.run((context) -> assertThat(context.getBean(WatchdogHealthCheck.class).isHealthy()).isFalse());
	}

	@Test
	void logindIsMonitoredByDefault() {
		this.runner
			.withPropertyValues("ipc.session.logind.enabled=true", "ipc.session.logind.bus=unix:path=/nonexistent")
			.run((context) -> assertThat(context).hasSingleBean(LogindMonitor.class));
	}

	@Test
	void logindEnabledFalseLeavesLogindAloneAndSaysNothingAboutIt(CapturedOutput output) {
		this.runner.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(LogindMonitor.class));
		assertThat(output).doesNotContain("logind skipped").doesNotContain("logind on");
	}

	@Test
	void blankLogindBusFailsStartUpNamingTheProperty() {
		this.runner.withPropertyValues("ipc.session.logind.enabled=true", "ipc.session.logind.bus= ")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOfSatisfying(IpcConfigurationException.class,
						(ex) -> assertThat(ex.getProperty()).isEqualTo("ipc.session.logind.bus")));
	}

	@Test
	void withoutDbusJavaLogindIsSkippedWithAReasonAndTheRestWorks(CapturedOutput output) {
		this.runner.withPropertyValues("ipc.session.logind.enabled=true")
			.withUserConfiguration(ShutdownListener.class)
			.withClassLoader(new FilteredClassLoader("org.freedesktop.dbus"))
			.run((context) -> assertThat(context).hasSingleBean(SessionEventPublisher.class));
		assertThat(output).contains("logind skipped: dbus-java is not on the class path");
	}

	@Test
	void unreachableLogindBusStartsNormallyAndSaysWhy(CapturedOutput output) {
		this.runner
			.withPropertyValues("ipc.session.logind.enabled=true", "ipc.session.logind.bus=unix:path=/nonexistent/bus")
			.withUserConfiguration(ShutdownListener.class)
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).contains("logind skipped: ").contains("/nonexistent/bus");
	}

	@Test
	void withoutAListenerOfASessionEventLogindIsNotAskedAndTheLineSaysSo(CapturedOutput output) {
		this.runner
			.withPropertyValues("ipc.session.logind.enabled=true", "ipc.session.logind.bus=unix:path=/nonexistent/bus")
			.withUserConfiguration(CatchAllListener.class)
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).contains("logind skipped: no listener of a session event asks for it")
			.doesNotContain("/nonexistent/bus");
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(SessionAutoConfiguration.class)
	static class Plain {

	}

	@Configuration(proxyBeanMethods = false)
	static class UserSavePhase {

		@Bean
		SavePhase mySavePhase(ConfigurableApplicationContext context) {
			return new SavePhase(context, Duration.ofSeconds(3));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ShutdownListener {

		@EventListener
		void save(SessionShutdownEvent event) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class LambdaShutdownListenerConfiguration {

		@Bean
		ApplicationListener<SessionShutdownEvent> saveOnShutdown() {
			return (event) -> {
			};
		}

	}

	static class ShutdownApplicationListener implements ApplicationListener<SessionShutdownEvent> {

		@Override
		public void onApplicationEvent(SessionShutdownEvent event) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class SessionListener {

		@EventListener
		void any(SessionEvent event) {
		}

	}

	/**
	 * Listens for everything, as loggers of every event do: asks for no session feature.
	 */
	@Configuration(proxyBeanMethods = false)
	static class CatchAllListener {

		@EventListener
		void any(ApplicationEvent event) {
		}

		@EventListener
		void anyOfOurs(dev.ipcboot.IpcEvent event) {
		}

	}

	static class ToggledHealth implements HealthIndicator {

		volatile boolean up = true;

		@Override
		public Health health() {
			return this.up ? Health.up().build() : Health.down().build();
		}

	}

	/** Whether this JVM was started with the signal ignored (SigIgn in /proc). */
	private static boolean ignoredByThisProcess(int signal) {
		try {
			String mask = Files.readAllLines(Path.of("/proc/self/status"))
				.stream()
				.filter((line) -> line.startsWith("SigIgn:"))
				.findFirst()
				.orElseThrow()
				.substring("SigIgn:".length())
				.trim();
			return new BigInteger(mask, 16).testBit(signal - 1);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
