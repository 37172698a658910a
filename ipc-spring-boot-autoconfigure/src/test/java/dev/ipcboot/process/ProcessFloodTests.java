package dev.ipcboot.process;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.ipcboot.listener.IpcListener;
import dev.ipcboot.process.ProcessTestSupport.Events;
import dev.ipcboot.testsupport.OurThreads;

import static dev.ipcboot.process.ProcessTestSupport.command;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A child that writes 1 GiB as fast as it can: backpressure on the pipe keeps the heap
 * bounded and every line arrives.
 */
class ProcessFloodTests {

	private static final long GIBIBYTE = 1024L * 1024 * 1024;

	private static final int LINE = 1000;

	@Test
	void childWritingOneGibibyteKeepsTheHeapBoundedAndEveryLineArrives() {
		String body = "x".repeat(LINE - 1);
		ProcessTestSupport.runner()
			.withBean(Counter.class)
			.withPropertyValues(command("flood", "sh", "-c", "yes \"$0\" | head -c " + GIBIBYTE, body))
			.withPropertyValues("ipc.processes.flood.restart=never")
			.run((context) -> {
				Counter counter = context.getBean(Counter.class);
				Events events = context.getBean(Events.class);
				await().atMost(Duration.ofSeconds(60))
					.untilAsserted(() -> assertThat(events.of(ProcessFinishedEvent.class)).hasSize(1));
				await().untilAsserted(() -> assertThat(counter.lines.get()).isEqualTo(GIBIBYTE / LINE + 1));
				// every byte except the line feeds arrived, the last line without one
				assertThat(counter.bytes.get()).isEqualTo(GIBIBYTE - GIBIBYTE / LINE);
				assertThat(counter.heap.baseline()).isPositive();
				assertThat(counter.heap.retainedGrowth()).as("heap retained while flooding")
					.isLessThan(64L * 1024 * 1024);
				context.close();
				await().untilAsserted(() -> assertThat(OurThreads.alive("ipc-process")).isEmpty());
			});
	}

	/** Counts lines and samples the heap every 100,000 lines. */
	static class Counter {

		final AtomicLong lines = new AtomicLong();

		final AtomicLong bytes = new AtomicLong();

		final HeapSampler heap = new HeapSampler(100_000);

		@IpcListener("flood")
		void line(byte[] line) {
			this.lines.incrementAndGet();
			this.bytes.addAndGet(line.length);
			this.heap.sample();
		}

	}

}
