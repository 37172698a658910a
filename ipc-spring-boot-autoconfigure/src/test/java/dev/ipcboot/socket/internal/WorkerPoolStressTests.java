package dev.ipcboot.socket.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@link WorkerPool} under races: a thread ending after its keep-alive while a task
 * arrives, a task submitted while the pool shuts down, a thread factory that fails, a
 * task that leaves its thread interrupted, and many submitters at once. Every accepted
 * task runs, a refused one never does, and no thread is left after a shutdown.
 */
class WorkerPoolStressTests {

	private static CustomizableThreadFactory factory() {
		CustomizableThreadFactory factory = new CustomizableThreadFactory("pool-stress-");
		factory.setDaemon(true);
		return factory;
	}

	private static void shutDown(WorkerPool pool) throws InterruptedException {
		pool.shutdownNow();
		assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
		assertThat(pool.threads()).isZero();
	}

	@Test
	void aTaskQueuedWhileTheOnlyThreadEndsAfterItsKeepAliveStillRuns() throws Exception {
		// keep-alive 0: the thread ends as soon as the queue is empty, so the next task
		// often arrives while it ends, still counted among the threads
		WorkerPool pool = new WorkerPool(1, 0, TimeUnit.NANOSECONDS, factory());
		try {
			for (int i = 0; i < 20_000; i++) {
				CountDownLatch ran = new CountDownLatch(1);
				pool.execute(ran::countDown);
				assertThat(ran.await(10, TimeUnit.SECONDS)).as("task %d ran", i).isTrue();
			}
		}
		finally {
			shutDown(pool);
		}
	}

	@Test
	void aTaskSubmittedWhileThePoolShutsDownRunsOrIsRefused() throws Exception {
		for (int i = 0; i < 3_000; i++) {
			WorkerPool pool = new WorkerPool(1, 10, TimeUnit.SECONDS, factory());
			AtomicInteger ran = new AtomicInteger();
			AtomicBoolean accepted = new AtomicBoolean();
			CyclicBarrier start = new CyclicBarrier(2);
			Thread submitter = new Thread(() -> {
				try {
					start.await(10, TimeUnit.SECONDS);
					pool.execute(ran::incrementAndGet);
					accepted.set(true);
				}
				catch (RejectedExecutionException ex) {
					// refused: must never run
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			});
			submitter.start();
			start.await(10, TimeUnit.SECONDS);
			pool.shutdown();
			submitter.join(10_000);
			assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
			assertThat(ran.get()).as("round %d: ran iff accepted", i).isEqualTo(accepted.get() ? 1 : 0);
			assertThat(pool.threads()).isZero();
		}
	}

	@Test
	void aThreadFactoryThatThrowsOnceDoesNotStopLaterTasksFromStartingAThread() throws Exception {
		AtomicBoolean fail = new AtomicBoolean(true);
		CustomizableThreadFactory threads = factory();
		ThreadFactory flaky = (runnable) -> {
			if (fail.getAndSet(false)) {
				throw new IllegalStateException("no thread this time");
			}
			return threads.newThread(runnable);
		};
		WorkerPool pool = new WorkerPool(2, 10, TimeUnit.SECONDS, flaky);
		try {
			AtomicInteger first = new AtomicInteger();
			assertThatExceptionOfType(RuntimeException.class).isThrownBy(() -> pool.execute(first::incrementAndGet));
			CountDownLatch ran = new CountDownLatch(1);
			pool.execute(ran::countDown);
			assertThat(ran.await(10, TimeUnit.SECONDS)).as("a task after the factory's failure ran").isTrue();
			assertThat(first.get()).as("the task refused with the failure").isZero();
		}
		finally {
			shutDown(pool);
		}
	}

	@Test
	void aTaskRefusedBecauseTheFactoryMadeNoThreadIsNotRunLater() throws Exception {
		AtomicBoolean fail = new AtomicBoolean(true);
		CustomizableThreadFactory threads = factory();
		ThreadFactory flaky = (runnable) -> fail.getAndSet(false) ? null : threads.newThread(runnable);
		WorkerPool pool = new WorkerPool(1, 10, TimeUnit.SECONDS, flaky);
		try {
			AtomicInteger refused = new AtomicInteger();
			assertThatExceptionOfType(RejectedExecutionException.class)
				.isThrownBy(() -> pool.execute(refused::incrementAndGet));
			CountDownLatch ran = new CountDownLatch(1);
			pool.execute(ran::countDown);
			// one thread runs the queue in order: the refused task would have run first
			assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
			assertThat(refused.get()).as("the refused task ran anyway").isZero();
		}
		finally {
			shutDown(pool);
		}
	}

	@Test
	void aThreadFactoryFailingWhileAWorkerWakesTheNextLosesNoTask() throws Exception {
		CountDownLatch gate = new CountDownLatch(1);
		AtomicInteger made = new AtomicInteger();
		CustomizableThreadFactory threads = factory();
		ThreadFactory firstThenFail = (runnable) -> {
			if (made.getAndIncrement() > 0) {
				throw new IllegalStateException("no second thread");
			}
			// the first worker starts only once both tasks are queued
			return threads.newThread(() -> {
				awaitUninterruptibly(gate);
				runnable.run();
			});
		};
		WorkerPool pool = new WorkerPool(2, 10, TimeUnit.SECONDS, firstThenFail);
		try {
			CountDownLatch ran = new CountDownLatch(2);
			pool.execute(ran::countDown);
			pool.execute(ran::countDown);
			gate.countDown();
			assertThat(ran.await(10, TimeUnit.SECONDS)).as("both tasks ran on the one thread").isTrue();
			assertThat(made.get()).as("a second thread was asked for").isEqualTo(2);
		}
		finally {
			shutDown(pool);
		}
	}

	@Test
	void aTaskThatLeavesItsThreadInterruptedDoesNotKeepTheIdleThreadSpinning() throws Exception {
		List<Thread> made = new ArrayList<>();
		CustomizableThreadFactory threads = factory();
		ThreadFactory recording = (runnable) -> {
			Thread thread = threads.newThread(runnable);
			synchronized (made) {
				made.add(thread);
			}
			return thread;
		};
		WorkerPool pool = new WorkerPool(1, 10, TimeUnit.MINUTES, recording);
		try {
			CountDownLatch ran = new CountDownLatch(1);
			pool.execute(() -> {
				Thread.currentThread().interrupt();
				ran.countDown();
			});
			assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
			Thread worker;
			synchronized (made) {
				worker = made.get(0);
			}
			// an interrupted thread's park returns at once: it would spin until its
			// keep-alive ends instead of waiting
			await().atMost(Duration.ofSeconds(10))
				.until(() -> worker.getState() == Thread.State.TIMED_WAITING && !worker.isInterrupted());
		}
		finally {
			shutDown(pool);
		}
	}

	@Test
	void aTaskTakenJustBeforeShutdownNowRunsInterrupted() throws Exception {
		for (int i = 0; i < 2_000; i++) {
			WorkerPool pool = new WorkerPool(1, 10, TimeUnit.SECONDS, factory());
			AtomicBoolean go = new AtomicBoolean();
			CountDownLatch started = new CountDownLatch(1);
			pool.execute(() -> {
				started.countDown();
				while (!go.get()) {
					Thread.onSpinWait();
				}
			});
			AtomicBoolean interrupted = new AtomicBoolean();
			CountDownLatch blocked = new CountDownLatch(1);
			Runnable second = () -> {
				try {
					blocked.await(10, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					interrupted.set(true);
				}
			};
			pool.execute(second);
			assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
			go.set(true);
			List<Runnable> left = pool.shutdownNow();
			assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
			assertThat(left.contains(second) || interrupted.get())
				.as("round %d: the second task was returned or ran interrupted", i)
				.isTrue();
		}
	}

	@Test
	void manySubmittersWithShortAndBlockingTasksAndExpiringThreadsRunEveryTask() throws Exception {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		for (int round = 0; round < 6; round++) {
			// even rounds: one thread ending as soon as it is idle (the tightest race
			// between an ending thread and a task); odd: up to 4 threads, 0-2 ms
			boolean tight = round % 2 == 0;
			long keepAliveMicros = tight ? 0 : random.nextLong(0, 2_000);
			WorkerPool pool = new WorkerPool(tight ? 1 : 1 + random.nextInt(4), keepAliveMicros, TimeUnit.MICROSECONDS,
					factory());
			int submitters = 4;
			int perSubmitter = 3_000;
			AtomicInteger ran = new AtomicInteger();
			CountDownLatch submitted = new CountDownLatch(submitters);
			for (int s = 0; s < submitters; s++) {
				Thread submitter = new Thread(() -> {
					ThreadLocalRandom r = ThreadLocalRandom.current();
					for (int i = 0; i < perSubmitter; i++) {
						if (r.nextInt(50) == 0) {
							pool.execute(() -> {
								LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(1_000, 200_000));
								ran.incrementAndGet();
							});
						}
						else {
							pool.execute(ran::incrementAndGet);
						}
						if (r.nextInt(200) == 0) {
							// a pause long enough for idle threads to end now and then
							LockSupport.parkNanos(r.nextLong(0, 3_000_000));
						}
					}
					submitted.countDown();
				});
				submitter.setDaemon(true);
				submitter.start();
			}
			assertThat(submitted.await(30, TimeUnit.SECONDS)).isTrue();
			int total = submitters * perSubmitter;
			int finalRound = round;
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(ran.get()).as("round %d ran", finalRound).isEqualTo(total));
			pool.shutdown();
			assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
			assertThat(pool.threads()).isZero();
		}
	}

	private static void awaitUninterruptibly(CountDownLatch latch) {
		try {
			latch.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
