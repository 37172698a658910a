package dev.ipcboot.bench;

import java.util.Arrays;

/**
 * The latency samples of the measurement tools' rounds, in nanoseconds: merged across
 * rounds and read as percentiles in microseconds.
 */
final class Latencies {

	private Latencies() {
	}

	/** Both rounds' samples in one sorted array. */
	static long[] merge(long[] these, long[] others) {
		long[] merged = Arrays.copyOf(these, these.length + others.length);
		System.arraycopy(others, 0, merged, these.length, others.length);
		Arrays.sort(merged);
		return merged;
	}

	/** The sample at that fraction of sorted samples, in microseconds. */
	static double percentile(long[] sorted, double fraction) {
		return sorted[(int) (sorted.length * fraction)] / 1000.0;
	}

}
