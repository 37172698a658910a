package dev.ipcboot.session;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

import dev.ipcboot.autoconfigure.SessionAutoConfiguration;
import dev.ipcboot.dbus.internal.PrivateBusDaemon;
import dev.ipcboot.testsupport.OurThreads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The logind part of the session facility against python3-dbusmock's logind template on a
 * private bus: inhibitor locks, shutdown, sleep, and the session's lock signals.
 */
@ExtendWith(OutputCaptureExtension.class)
class LogindTests {

	private static final String WHO = "logind-tests";

	private static final String SESSION_ID = "c7";

	private static LogindStandIn logind;

	private ConfigurableApplicationContext context;

	@BeforeAll
	static void startLogind(@TempDir Path temp) throws IOException {
		logind = LogindStandIn.start(temp);
		logind.addSessionFor(ProcessHandle.current().pid(), SESSION_ID);
	}

	@AfterAll
	static void stopLogind() throws InterruptedException {
		if (logind != null) {
			logind.close();
		}
	}

	@AfterEach
	void closeContext() {
		if (this.context != null) {
			this.context.close();
		}
		Recorder.release.countDown();
	}

	@Test
	void delayLocksAreListedOnceStartUpReturns() throws IOException {
		start("1s");
		assertThat(logind.inhibitors()).contains("shutdown " + WHO + " delay", "sleep " + WHO + " delay");
		assertThat(logind.systemdInhibitList().lines().filter((line) -> line.startsWith(WHO + " "))).hasSize(2)
			.allSatisfy((line) -> assertThat(line).contains("Saving work before shutdown or sleep").endsWith(" delay"));
	}

	@Test
	void prepareForShutdownRunsTheListenerAndReleasesTheLockWhenItReturns() throws IOException {
		Recorder recorder = start("10s");
		logind.emit("PrepareForShutdown", true);
		await().until(() -> recorder.started.size() == 1);
		assertThat(recorder.started.peek()).isInstanceOfSatisfying(SessionShutdownEvent.class,
				(event) -> assertThat(event.reason()).isEqualTo(SessionShutdownEvent.Reason.LOGIND_SHUTDOWN));
		// the machine waits while the listener saves
		assertThat(logind.inhibitors()).contains("shutdown " + WHO + " delay");
		recorder.finish.countDown();
		await().until(() -> !logind.inhibitors().contains("shutdown " + WHO + " delay"));
		assertThat(recorder.finished).hasSize(1);
		assertThat(logind.inhibitors()).contains("sleep " + WHO + " delay");
	}

	@Test
	void shutdownKindAnnouncedWithMetadataDecidesBetweenRebootAndPowerOff(@TempDir Path temp) throws Exception {
		try (LogindStandIn newer = LogindStandIn.start(temp)) {
			newer.announceShutdownKinds();
			Recorder recorder = start("10s", newer);
			recorder.finish.countDown();
			newer.emitShutdown(true, "reboot");
			await().until(() -> !newer.inhibitors().contains("shutdown " + WHO + " delay"));
			newer.emitShutdown(false, "reboot");
			await().until(() -> newer.inhibitors().contains("shutdown " + WHO + " delay"));
			newer.emitShutdown(true, "power-off");
			await().until(() -> !newer.inhibitors().contains("shutdown " + WHO + " delay"));
			// each announcement came twice (with and without metadata) and counted once
			assertThat(recorder.finished).extracting((event) -> ((SessionShutdownEvent) event).reason())
				.containsExactly(SessionShutdownEvent.Reason.LOGIND_REBOOT,
						SessionShutdownEvent.Reason.LOGIND_SHUTDOWN);
			this.context.close();
		}
	}

	@Test
	void locksAreTakenAgainWhenTheBusComesBack(@TempDir Path temp) throws Exception {
		try (LogindStandIn restarting = LogindStandIn.start(temp)) {
			start("1s", restarting);
			assertThat(restarting.inhibitors()).contains("shutdown " + WHO + " delay");
			// the new logind starts with no inhibitor: any it lists, the application took
			// again
			restarting.restart();
			await().atMost(Duration.ofSeconds(10))
				.until(() -> restarting.inhibitors()
					.containsAll(List.of("shutdown " + WHO + " delay", "sleep " + WHO + " delay")));
			this.context.close();
		}
	}

	@Test
	void locksAreTakenAgainWhenLogindRestarts(@TempDir Path temp) throws Exception {
		try (LogindStandIn restarting = LogindStandIn.start(temp)) {
			start("1s", restarting);
			// the new logind starts with no inhibitor: any it lists, the application took
			// again
			restarting.restartLogind();
			await().atMost(Duration.ofSeconds(10))
				.until(() -> restarting.inhibitors()
					.containsAll(List.of("shutdown " + WHO + " delay", "sleep " + WHO + " delay")));
			this.context.close();
		}
	}

	@Test
	void listenerSlowerThanTheCommitTimeoutDoesNotKeepTheLockPastIt() throws IOException {
		Recorder recorder = start("500ms");
		logind.emit("PrepareForShutdown", true);
		await().until(() -> recorder.started.size() == 1);
		await().atMost(Duration.ofSeconds(5)).until(() -> !logind.inhibitors().contains("shutdown " + WHO + " delay"));
		assertThat(recorder.finished).isEmpty();
	}

	@Test
	void cancelledShutdownTakesTheShutdownLockAgain() throws IOException {
		Recorder recorder = start("500ms");
		recorder.finish.countDown();
		logind.emit("PrepareForShutdown", true);
		await().until(() -> !logind.inhibitors().contains("shutdown " + WHO + " delay"));
		logind.emit("PrepareForShutdown", false);
		await().until(() -> logind.inhibitors().contains("shutdown " + WHO + " delay"));
	}

	@Test
	void afterSleepAndResumeTheSleepLockIsHeldAgain() throws IOException {
		Recorder recorder = start("10s");
		recorder.finish.countDown();
		logind.emit("PrepareForSleep", true);
		await().until(() -> !logind.inhibitors().contains("sleep " + WHO + " delay"));
		assertThat(recorder.finished).singleElement().isInstanceOf(SessionSleepEvent.class);
		logind.emit("PrepareForSleep", false);
		await().until(() -> logind.inhibitors().contains("sleep " + WHO + " delay"));
		await().until(() -> recorder.resumed.size() == 1);
	}

	@Test
	void lockAndUnlockOfTheApplicationsSessionArePublished() throws IOException {
		Recorder recorder = start("1s");
		logind.callSession(SESSION_ID, "Lock");
		await().until(() -> recorder.locks.size() == 1);
		logind.callSession(SESSION_ID, "Unlock");
		await().until(() -> recorder.locks.size() == 2);
		assertThat(recorder.locks).extracting((event) -> event.getClass().getSimpleName() + " " + event.resourceName())
			.containsExactly("SessionLockEvent " + SESSION_ID, "SessionUnlockEvent " + SESSION_ID);
	}

	@Test
	void rapidLockUnlockPairsArePublishedInTheOrderLogindSentThem() throws IOException {
		Recorder recorder = start("1s");
		List<String> expected = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			logind.callSession(SESSION_ID, "Lock");
			logind.callSession(SESSION_ID, "Unlock");
			expected.add("SessionLockEvent");
			expected.add("SessionUnlockEvent");
		}
		await().until(() -> recorder.locks.size() == 20);
		assertThat(recorder.locks).extracting((event) -> event.getClass().getSimpleName())
			.containsExactlyElementsOf(expected);
	}

	@Test
	void afterTheContextClosesNoInhibitorIsHeldAndNoThreadOfOursRuns() throws IOException {
		start("1s");
		assertThat(logind.inhibitors()).isNotEmpty();
		this.context.close();
		await().until(() -> logind.inhibitors().isEmpty());
		await().until(() -> OurThreads.alive("ipc-").isEmpty());
	}

	@Test
	void withoutAListenerOfASessionEventNoConnectionIsMadeAndNoLockTaken(CapturedOutput output) throws IOException {
		long pid = ProcessHandle.current().pid();
		long before = logind.connectionsOf(pid);
		this.context = new SpringApplicationBuilder(NoListener.class).web(WebApplicationType.NONE)
			.properties("NOTIFY_SOCKET=", "spring.main.banner-mode=off", "spring.application.name=" + WHO,
					"ipc.session.logind.bus=" + logind.address())
			.run();
		assertThat(logind.connectionsOf(pid)).isEqualTo(before);
		assertThat(logind.inhibitors()).noneMatch((inhibitor) -> inhibitor.contains(WHO));
		assertThat(OurThreads.alive("ipc-session-logind")).isEmpty();
		assertThat(output).contains("logind skipped: no listener of a session event asks for it");
	}

	@Test
	void aListenerOfTheShutdownEventTakesOnlyTheShutdownLock() throws IOException {
		this.context = new SpringApplicationBuilder(ShutdownOnly.class).web(WebApplicationType.NONE)
			.properties("NOTIFY_SOCKET=", "spring.main.banner-mode=off", "spring.application.name=" + WHO,
					"ipc.session.logind.bus=" + logind.address())
			.run();
		assertThat(logind.inhibitors()).contains("shutdown " + WHO + " delay")
			.doesNotContain("sleep " + WHO + " delay");
	}

	@Test
	void inhibitWithoutListenersTakesTheConfiguredLocksWithNoListener() throws IOException {
		this.context = new SpringApplicationBuilder(NoListener.class).web(WebApplicationType.NONE)
			.properties("NOTIFY_SOCKET=", "spring.main.banner-mode=off", "spring.application.name=" + WHO,
					"ipc.session.logind.bus=" + logind.address(), "ipc.session.logind.inhibit-without-listeners=true",
					"ipc.session.logind.inhibit=sleep")
			.run();
		assertThat(logind.inhibitors()).contains("sleep " + WHO + " delay")
			.doesNotContain("shutdown " + WHO + " delay");
	}

	@Test
	void withoutLogindOnTheBusTheApplicationStartsAndSaysOnceWhatItSkipped(CapturedOutput output) {
		try (PrivateBusDaemon empty = PrivateBusDaemon.start()) {
			this.context = new SpringApplicationBuilder(Plain.class).web(WebApplicationType.NONE)
				.properties("NOTIFY_SOCKET=", "spring.main.banner-mode=off",
						"ipc.session.logind.bus=" + empty.address())
				.run();
			assertThat(this.context.isActive()).isTrue();
			this.context.close();
		}
		String skipped = "logind skipped: org.freedesktop.login1 is not on the bus at ";
		assertThat(output.getAll().split(Pattern.quote(skipped), -1)).hasSize(2);
		assertThat(output.getAll().split(Pattern.quote("Session lifecycle: "), -1)).hasSize(2);
	}

	private Recorder start(String commitTimeout) {
		return start(commitTimeout, logind);
	}

	private Recorder start(String commitTimeout, LogindStandIn logind) {
		Recorder.release = new CountDownLatch(1);
		this.context = new SpringApplicationBuilder(Plain.class).web(WebApplicationType.NONE)
			.properties("NOTIFY_SOCKET=", "spring.main.banner-mode=off", "spring.application.name=" + WHO,
					"ipc.session.logind.bus=" + logind.address(), "ipc.session.commit-timeout=" + commitTimeout)
			.run();
		return this.context.getBean(Recorder.class);
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(SessionAutoConfiguration.class)
	static class Plain {

		@Bean
		Recorder recorder() {
			return new Recorder();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(SessionAutoConfiguration.class)
	static class NoListener {

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(SessionAutoConfiguration.class)
	static class ShutdownOnly {

		@EventListener
		void save(SessionShutdownEvent event) {
		}

	}

	static class Recorder {

		static volatile CountDownLatch release = new CountDownLatch(1);

		final CountDownLatch finish = new CountDownLatch(1);

		final Queue<SessionEvent> started = new ConcurrentLinkedQueue<>();

		final Queue<SessionEvent> finished = new ConcurrentLinkedQueue<>();

		final Queue<SessionEvent> resumed = new ConcurrentLinkedQueue<>();

		final Queue<SessionEvent> locks = new ConcurrentLinkedQueue<>();

		@EventListener({ SessionShutdownEvent.class, SessionSleepEvent.class })
		void save(SessionEvent event) throws InterruptedException {
			if (event instanceof SessionShutdownEvent shutdown
					&& shutdown.reason() == SessionShutdownEvent.Reason.CONTEXT_CLOSING) {
				return;
			}
			this.started.add(event);
			// waits for the test, or for the test's end when it never says
			while (!this.finish.await(10, TimeUnit.MILLISECONDS)) {
				if (release.getCount() == 0) {
					return;
				}
			}
			this.finished.add(event);
		}

		@EventListener(SessionResumeEvent.class)
		void resumed(SessionResumeEvent event) {
			this.resumed.add(event);
		}

		@EventListener({ SessionLockEvent.class, SessionUnlockEvent.class })
		void locked(SessionEvent event) {
			this.locks.add(event);
		}

	}

}
