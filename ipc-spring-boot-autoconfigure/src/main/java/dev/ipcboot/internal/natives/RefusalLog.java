package dev.ipcboot.internal.natives;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;

/**
 * Security refusals and reclaims at WARN, at most one line per resource every
 * {@link #INTERVAL}, the next line counting the ones left out: a peer that retries in a
 * loop cannot flood the log, and an operator still sees every resource that was refused.
 */
public final class RefusalLog {

	/** Shortest time between two lines about the same resource. */
	public static final Duration INTERVAL = Duration.ofSeconds(10);

	/** Per resource: nanoTime of the last line, refusals not logged since. */
	private static final Map<String, long[]> lines = new ConcurrentHashMap<>();

	private RefusalLog() {
	}

	/**
	 * Log a refusal at WARN unless one about the same resource was logged less than
	 * {@link #INTERVAL} ago.
	 * @param logger the logger of the refusing class
	 * @param resource what was refused, the rate limit's key (a path, a key, a pid)
	 * @param message the refusal, naming the real problem and the fix
	 */
	public static void warn(Log logger, String resource, String message) {
		long now = System.nanoTime();
		long[] state = lines.computeIfAbsent(resource, (key) -> new long[] { now - INTERVAL.toNanos(), 0 });
		long suppressed;
		synchronized (state) {
			if (now - state[0] < INTERVAL.toNanos()) {
				state[1]++;
				return;
			}
			suppressed = state[1];
			state[0] = now;
			state[1] = 0;
		}
		logger.warn(message + ((suppressed > 0) ? " (" + suppressed + " more about " + resource + " in the last "
				+ INTERVAL.toSeconds() + " s not logged)" : ""));
	}

}
