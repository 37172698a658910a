package dev.ipcboot.process;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Measures the live heap after a collection every n-th call, for tests that stream a lot
 * of output through a listener and check that the heap stays bounded.
 */
final class HeapSampler {

	private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

	private final long every;

	private long calls;

	private volatile long baseline;

	private volatile long maxRetained;

	HeapSampler(long every) {
		this.every = every;
	}

	/** Count one message; every n-th (the first included) collects and samples. */
	void sample() {
		if (this.calls++ % this.every == 0) {
			this.memory.gc();
			long used = this.memory.getHeapMemoryUsage().getUsed();
			if (this.baseline == 0) {
				this.baseline = used;
			}
			this.maxRetained = Math.max(this.maxRetained, used);
		}
	}

	long baseline() {
		return this.baseline;
	}

	/** The most heap in use at a sample beyond the first sample's. */
	long retainedGrowth() {
		return this.maxRetained - this.baseline;
	}

}
