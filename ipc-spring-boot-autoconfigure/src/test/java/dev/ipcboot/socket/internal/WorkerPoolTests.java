package dev.ipcboot.socket.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The engine's workers ({@link WorkerPool}): bounded, a thread held by a long call never
 * delays the next task while a thread is free, a burst of short tasks does not wake a
 * thread per task, and nothing is left after a shutdown.
 */
class WorkerPoolTests {

	private final CountDownLatch release = new CountDownLatch(1);

	private WorkerPool pool;

	@AfterEach
	void shutDown() throws InterruptedException {
		this.release.countDown();
		if (this.pool != null) {
			this.pool.shutdownNow();
			assertThat(this.pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
		}
	}

	private WorkerPool pool(int maxThreads, Duration keepAlive) {
		CustomizableThreadFactory factory = new CustomizableThreadFactory("pool-test-");
		factory.setDaemon(true);
		this.pool = new WorkerPool(maxThreads, keepAlive.toMillis(), TimeUnit.MILLISECONDS, factory);
		return this.pool;
	}

	@Test
	void aTaskQueuedWhileEveryOtherThreadIsHeldByALongCallRunsOnAnotherThread() throws Exception {
		WorkerPool pool = pool(4, Duration.ofSeconds(10));
		CountDownLatch held = new CountDownLatch(3);
		for (int i = 0; i < 3; i++) {
			pool.execute(() -> {
				held.countDown();
				awaitRelease();
			});
		}
		assertThat(held.await(10, TimeUnit.SECONDS)).as("three long calls running at once").isTrue();
		CountDownLatch ran = new CountDownLatch(1);
		pool.execute(ran::countDown);
		assertThat(ran.await(10, TimeUnit.SECONDS)).as("the fourth task ran beside the three held ones").isTrue();
		assertThat(pool.threads()).isEqualTo(4);
	}

	@Test
	void neverMoreThreadsThanTheBoundAndQueuedTasksRunWhenOneIsFree() throws Exception {
		WorkerPool pool = pool(3, Duration.ofSeconds(10));
		AtomicInteger running = new AtomicInteger();
		AtomicInteger most = new AtomicInteger();
		CountDownLatch done = new CountDownLatch(10);
		for (int i = 0; i < 10; i++) {
			pool.execute(() -> {
				most.accumulateAndGet(running.incrementAndGet(), Math::max);
				awaitRelease();
				running.decrementAndGet();
				done.countDown();
			});
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> running.get() == 3);
		assertThat(done.getCount()).as("seven tasks wait for a thread").isEqualTo(10);
		this.release.countDown();
		assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(most.get()).isEqualTo(3);
		assertThat(pool.threads()).isLessThanOrEqualTo(3);
	}

	@Test
	void aBurstOfShortTasksIsRunByFewThreadsNotAThreadPerTask() throws Exception {
		// a ThreadPoolExecutor of 32 threads starts all 32 for this burst
		WorkerPool pool = pool(32, Duration.ofSeconds(10));
		Set<Thread> used = ConcurrentHashMap.newKeySet();
		CountDownLatch done = new CountDownLatch(2000);
		for (int i = 0; i < 2000; i++) {
			pool.execute(() -> {
				used.add(Thread.currentThread());
				done.countDown();
			});
		}
		assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
		assertThat(used).as("threads that ran the burst").hasSizeLessThanOrEqualTo(16);
	}

	@Test
	void threadsIdleLongerThanTheKeepAliveEnd() throws Exception {
		WorkerPool pool = pool(4, Duration.ofMillis(200));
		CountDownLatch held = new CountDownLatch(2);
		for (int i = 0; i < 2; i++) {
			pool.execute(() -> {
				held.countDown();
				awaitRelease();
			});
		}
		assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(pool.threads()).isEqualTo(2);
		this.release.countDown();
		await().atMost(Duration.ofSeconds(10)).until(() -> pool.threads() == 0);
		// and the pool still works afterwards
		CountDownLatch ran = new CountDownLatch(1);
		pool.execute(ran::countDown);
		assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void shutdownRunsWhatIsQueuedThenEndsEveryThreadAndRefusesNewTasks() throws Exception {
		WorkerPool pool = pool(1, Duration.ofSeconds(10));
		CountDownLatch held = new CountDownLatch(1);
		pool.execute(() -> {
			held.countDown();
			awaitRelease();
		});
		assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
		AtomicInteger ran = new AtomicInteger();
		for (int i = 0; i < 5; i++) {
			pool.execute(ran::incrementAndGet);
		}
		pool.shutdown();
		assertThatExceptionOfType(RejectedExecutionException.class).isThrownBy(() -> pool.execute(() -> {
		}));
		assertThat(pool.awaitTermination(200, TimeUnit.MILLISECONDS)).as("still held").isFalse();
		this.release.countDown();
		assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
		assertThat(ran.get()).isEqualTo(5);
		assertThat(pool.isTerminated()).isTrue();
		assertThat(pool.threads()).isZero();
		assertThat(threadsNamed("pool-test-")).isEmpty();
	}

	@Test
	void shutdownOfAnIdlePoolEndsItsParkedThreads() throws Exception {
		WorkerPool pool = pool(4, Duration.ofMinutes(10));
		CountDownLatch ran = new CountDownLatch(1);
		pool.execute(ran::countDown);
		assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
		await().atMost(Duration.ofSeconds(10)).until(() -> threadsNamed("pool-test-").size() == 1);
		pool.shutdown();
		assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
		await().atMost(Duration.ofSeconds(10)).until(() -> threadsNamed("pool-test-").isEmpty());
	}

	@Test
	void shutdownNowInterruptsARunningCallAndReturnsTheQueuedTasks() throws Exception {
		WorkerPool pool = pool(1, Duration.ofSeconds(10));
		CountDownLatch started = new CountDownLatch(1);
		AtomicReference<Boolean> interrupted = new AtomicReference<>();
		pool.execute(() -> {
			started.countDown();
			try {
				new CountDownLatch(1).await();
			}
			catch (InterruptedException ex) {
				interrupted.set(true);
			}
		});
		assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
		Runnable queued = () -> {
		};
		pool.execute(queued);
		List<Runnable> left = pool.shutdownNow();
		assertThat(left).containsExactly(queued);
		assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
		assertThat(interrupted.get()).isTrue();
	}

	@Test
	void aTaskThatThrowsGoesToTheUncaughtHandlerAndTheThreadGoesOn() throws Exception {
		AtomicReference<Throwable> uncaught = new AtomicReference<>();
		CustomizableThreadFactory factory = new CustomizableThreadFactory("pool-test-") {

			@Override
			public Thread newThread(Runnable runnable) {
				Thread thread = super.newThread(runnable);
				thread.setUncaughtExceptionHandler((t, ex) -> uncaught.set(ex));
				return thread;
			}

		};
		factory.setDaemon(true);
		this.pool = new WorkerPool(1, 10, TimeUnit.SECONDS, factory);
		this.pool.execute(() -> {
			throw new IllegalStateException("listener bug");
		});
		CountDownLatch ran = new CountDownLatch(1);
		this.pool.execute(ran::countDown);
		assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(uncaught.get()).hasMessage("listener bug");
		assertThat(this.pool.threads()).isEqualTo(1);
	}

	@Test
	void aBatchWhoseFirstTaskIsALongCallStillRunsTheRestOnAnotherThread() throws Exception {
		WorkerPool pool = pool(4, Duration.ofSeconds(10));
		CountDownLatch held = new CountDownLatch(1);
		CountDownLatch rest = new CountDownLatch(5);
		List<Runnable> batch = new ArrayList<>();
		batch.add(() -> {
			held.countDown();
			awaitRelease();
		});
		for (int i = 0; i < 5; i++) {
			batch.add(rest::countDown);
		}
		List<Runnable> refused = new ArrayList<>();
		pool.executeAll(batch, (task, ex) -> refused.add(task));
		assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(rest.await(10, TimeUnit.SECONDS)).as("the five short tasks ran while the first was held").isTrue();
		assertThat(refused).isEmpty();
	}

	@Test
	void aBatchOfShortTasksRunsInOrderOnFewThreads() throws Exception {
		// one thread is woken for the batch; it wakes a second only while more wait
		WorkerPool pool = pool(32, Duration.ofSeconds(10));
		Set<Thread> used = ConcurrentHashMap.newKeySet();
		CountDownLatch done = new CountDownLatch(2000);
		List<Runnable> batch = new ArrayList<>();
		for (int i = 0; i < 2000; i++) {
			batch.add(() -> {
				used.add(Thread.currentThread());
				done.countDown();
			});
		}
		pool.executeAll(batch, (task, ex) -> {
			throw new AssertionError("refused", ex);
		});
		assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
		assertThat(used).as("threads that ran the batch").hasSizeLessThanOrEqualTo(16);
	}

	@Test
	void aBatchHandedToAShutDownPoolIsRefusedTaskByTaskAndNothingRuns() throws Exception {
		WorkerPool pool = pool(2, Duration.ofSeconds(10));
		pool.shutdown();
		AtomicInteger ran = new AtomicInteger();
		List<Runnable> batch = List.of(ran::incrementAndGet, ran::incrementAndGet, ran::incrementAndGet);
		List<Runnable> refused = new ArrayList<>();
		pool.executeAll(batch, (task, ex) -> {
			assertThat(ex).hasMessageContaining("shut down");
			refused.add(task);
		});
		assertThat(refused).containsExactlyElementsOf(batch);
		assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
		assertThat(ran.get()).isZero();
	}

	@Test
	void aBatchForWhichNoThreadCanBeStartedIsRefusedTaskByTaskAndNotRunLater() throws Exception {
		AtomicInteger attempts = new AtomicInteger();
		this.pool = new WorkerPool(2, 10, TimeUnit.SECONDS, (runnable) -> {
			attempts.incrementAndGet();
			throw new IllegalStateException("no thread");
		});
		AtomicInteger ran = new AtomicInteger();
		List<Runnable> batch = List.of(ran::incrementAndGet, ran::incrementAndGet);
		List<Runnable> refused = new ArrayList<>();
		AtomicReference<RejectedExecutionException> why = new AtomicReference<>();
		this.pool.executeAll(batch, (task, ex) -> {
			why.set(ex);
			refused.add(task);
		});
		assertThat(refused).containsExactlyElementsOf(batch);
		assertThat(why.get()).hasMessageContaining("could not start a worker thread").hasRootCauseMessage("no thread");
		assertThat(attempts.get()).isEqualTo(1);
		assertThat(this.pool.threads()).isZero();
		assertThat(ran.get()).isZero();
	}

	private void awaitRelease() {
		try {
			this.release.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static List<Thread> threadsNamed(String prefix) {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.getName().startsWith(prefix) && thread.isAlive())
			.toList();
	}

}
