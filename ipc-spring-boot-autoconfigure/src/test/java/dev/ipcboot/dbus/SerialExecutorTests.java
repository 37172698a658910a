package dev.ipcboot.dbus;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A {@link SerialExecutor} runs one subscription's tasks one at a time and in order on a
 * shared pool, and a task that throws does not end the subscription.
 */
class SerialExecutorTests {

	private final ExecutorService pool = Executors.newCachedThreadPool();

	@AfterEach
	void stop() throws InterruptedException {
		this.pool.shutdownNow();
		assertThat(this.pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void tasksSubmittedFasterThanTheyRunKeepTheirOrderAndNeverOverlap() {
		SerialExecutor executor = new SerialExecutor(this.pool, "test");
		List<Integer> order = new CopyOnWriteArrayList<>();
		AtomicInteger running = new AtomicInteger();
		AtomicInteger overlaps = new AtomicInteger();
		int count = 20_000;
		for (int i = 0; i < count; i++) {
			int n = i;
			executor.execute(() -> {
				if (running.incrementAndGet() > 1) {
					overlaps.incrementAndGet();
				}
				order.add(n);
				running.decrementAndGet();
			});
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> order.size() == count);
		assertThat(overlaps).hasValue(0);
		assertThat(order).containsExactlyElementsOf(IntStream.range(0, count).boxed().toList());
	}

	@Test
	void taskThatThrowsIsLoggedAndTheNextOnesStillRun() {
		SerialExecutor executor = new SerialExecutor(this.pool, "test");
		CountDownLatch after = new CountDownLatch(2);
		executor.execute(after::countDown);
		executor.execute(() -> {
			throw new IllegalStateException("listener broke");
		});
		executor.execute(after::countDown);
		await().atMost(Duration.ofSeconds(5)).until(() -> after.getCount() == 0);
	}

	@Test
	void slowTaskOfOneExecutorDoesNotHoldUpAnotherOnTheSamePool() throws InterruptedException {
		SerialExecutor slow = new SerialExecutor(this.pool, "slow");
		SerialExecutor fast = new SerialExecutor(this.pool, "fast");
		CountDownLatch gate = new CountDownLatch(1);
		CountDownLatch fastDone = new CountDownLatch(100);
		slow.execute(() -> {
			try {
				gate.await(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		for (int i = 0; i < 100; i++) {
			fast.execute(fastDone::countDown);
		}
		assertThat(fastDone.await(5, TimeUnit.SECONDS)).isTrue();
		gate.countDown();
	}

}
