package dev.ipcboot.session;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

import dev.ipcboot.autoconfigure.SessionAutoConfiguration;
import dev.ipcboot.session.internal.SavePhase;
import dev.ipcboot.session.internal.SessionEventPublisher;
import dev.ipcboot.testsupport.OurThreads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The save phase: listeners of shutdown and sleep run on threads of ours, each on its
 * own, and the starter waits for them no longer than {@code ipc.session.commit-timeout}.
 */
class SavePhaseTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SessionAutoConfiguration.class))
		.withPropertyValues("ipc.session.commit-timeout=500ms");

	@Test
	void slowListenerDoesNotHoldTheSavePhasePastTheCommitTimeout() {
		AtomicReference<Slow> slow = new AtomicReference<>();
		this.runner.withUserConfiguration(Recorder.class, Slow.class).run((context) -> {
			slow.set(context.getBean(Slow.class));
			SessionEventPublisher events = context.getBean(SessionEventPublisher.class);
			CompletableFuture<Boolean> published = CompletableFuture
				.supplyAsync(() -> events.shutdown(SessionShutdownEvent.Reason.SIGNAL, "TERM"));
			// the slow listener blocks until the latch opens, which happens only after
			// this
			await().atMost(Duration.ofSeconds(10)).until(published::isDone);
			assertThat(published.get()).isTrue();
			assertThat(slow.get().started.getCount()).isZero();
			assertThat(slow.get().finished).isFalse();
			assertThat(context.getBean(Recorder.class).events).hasSize(1);
			assertThat(OurThreads.alive("ipc-session-shutdown-")).hasSize(1);
		});
		slow.get().release.countDown();
		await().atMost(Duration.ofSeconds(10)).until(() -> OurThreads.alive("ipc-session").isEmpty());
		assertThat(slow.get().finished).isTrue();
	}

	@Test
	void throwingListenerDoesNotStopTheOthers() {
		this.runner.withUserConfiguration(Throwing.class, Recorder.class, BeanListener.class).run((context) -> {
			SavePhase savePhase = context.getBean(SavePhase.class);
			boolean allDone = savePhase.run(new SessionSleepEvent(this));
			assertThat(allDone).isTrue();
			assertThat(context.getBean(Throwing.class).calls).hasValue(1);
			assertThat(context.getBean(Recorder.class).events).singleElement().isInstanceOf(SessionSleepEvent.class);
			assertThat(context.getBean(BeanListener.class).events).singleElement()
				.isInstanceOf(SessionSleepEvent.class);
		});
	}

	@Test
	void listenersRunOnThreadsOfOursThatAreGoneAfterClose() {
		AtomicReference<Recorder> recorder = new AtomicReference<>();
		this.runner.withUserConfiguration(Recorder.class).run((context) -> {
			recorder.set(context.getBean(Recorder.class));
			context.getBean(SessionEventPublisher.class).sleep();
		});
		assertThat(recorder.get().threads).hasSize(2)
			.satisfiesExactly((sleep) -> assertThat(sleep).startsWith("ipc-session-sleep-"),
					(shutdown) -> assertThat(shutdown).startsWith("ipc-session-shutdown-"));
		await().atMost(Duration.ofSeconds(10)).until(() -> OurThreads.alive("ipc-session").isEmpty());
	}

	@Test
	void closingTheContextPublishesShutdownOnceBeforeAnyBeanIsDestroyed() {
		AtomicReference<Recorder> recorder = new AtomicReference<>();
		this.runner.withUserConfiguration(Recorder.class)
			.run((context) -> recorder.set(context.getBean(Recorder.class)));
		assertThat(recorder.get().events).singleElement()
			.isInstanceOfSatisfying(SessionShutdownEvent.class, (event) -> {
				assertThat(event.reason()).isEqualTo(SessionShutdownEvent.Reason.CONTEXT_CLOSING);
				assertThat(event.signal()).isNull();
			});
		assertThat(recorder.get().destroyedBeforeShutdownEvent).isFalse();
		assertThat(recorder.get().destroyed).isTrue();
	}

	@Test
	void shutdownAfterASignalIsNotPublishedAgainWhenTheContextCloses() {
		AtomicReference<Recorder> recorder = new AtomicReference<>();
		this.runner.withUserConfiguration(Recorder.class).run((context) -> {
			recorder.set(context.getBean(Recorder.class));
			SessionEventPublisher events = context.getBean(SessionEventPublisher.class);
			assertThat(events.shutdown(SessionShutdownEvent.Reason.SIGNAL, "TERM")).isTrue();
			assertThat(events.shutdown(SessionShutdownEvent.Reason.LOGIND_SHUTDOWN, null)).isFalse();
		});
		assertThat(recorder.get().events).singleElement()
			.isInstanceOfSatisfying(SessionShutdownEvent.class, (event) -> {
				assertThat(event.reason()).isEqualTo(SessionShutdownEvent.Reason.SIGNAL);
				assertThat(event.signal()).isEqualTo("TERM");
			});
	}

	@Test
	void cancelledShutdownLetsTheNextOnePublishAgain() {
		this.runner.withUserConfiguration(Recorder.class).run((context) -> {
			SessionEventPublisher events = context.getBean(SessionEventPublisher.class);
			events.shutdown(SessionShutdownEvent.Reason.LOGIND_REBOOT, null);
			events.shutdownCancelled();
			events.shutdown(SessionShutdownEvent.Reason.SIGNAL, "INT");
			assertThat(context.getBean(Recorder.class).events)
				.extracting((event) -> ((SessionShutdownEvent) event).reason())
				.containsExactly(SessionShutdownEvent.Reason.LOGIND_REBOOT, SessionShutdownEvent.Reason.SIGNAL);
		});
	}

	@Test
	void everySleepResumeLockAndUnlockIsPublishedOnce() {
		this.runner.withUserConfiguration(Recorder.class).run((context) -> {
			SessionEventPublisher events = context.getBean(SessionEventPublisher.class);
			events.sleep();
			events.resume();
			events.lock("c2");
			events.unlock("c2");
			events.sleep();
			events.resume();
			assertThat(context.getBean(Recorder.class).events).extracting((event) -> event.getClass().getSimpleName())
				.containsExactly("SessionSleepEvent", "SessionResumeEvent", "SessionLockEvent", "SessionUnlockEvent",
						"SessionSleepEvent", "SessionResumeEvent");
			assertThat(context.getBean(Recorder.class).events.get(2).resourceName()).isEqualTo("c2");
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class Recorder implements DisposableBean {

		final List<SessionEvent> events = new CopyOnWriteArrayList<>();

		final List<String> threads = new CopyOnWriteArrayList<>();

		volatile boolean destroyed;

		volatile boolean destroyedBeforeShutdownEvent;

		@EventListener
		void on(SessionEvent event) {
			this.destroyedBeforeShutdownEvent |= this.destroyed;
			this.events.add(event);
			this.threads.add(Thread.currentThread().getName());
		}

		@Override
		public void destroy() {
			this.destroyed = true;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Slow {

		final CountDownLatch started = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		volatile boolean finished;

		@EventListener
		void on(SessionShutdownEvent event) throws InterruptedException {
			this.started.countDown();
			this.release.await();
			this.finished = true;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Throwing {

		final AtomicInteger calls = new AtomicInteger();

		@EventListener
		void on(SessionSleepEvent event) {
			this.calls.incrementAndGet();
			throw new IllegalStateException("cannot save");
		}

	}

	static class BeanListener implements ApplicationListener<SessionSleepEvent> {

		final List<SessionEvent> events = new CopyOnWriteArrayList<>();

		@Override
		public void onApplicationEvent(SessionSleepEvent event) {
			this.events.add(event);
		}

	}

}
