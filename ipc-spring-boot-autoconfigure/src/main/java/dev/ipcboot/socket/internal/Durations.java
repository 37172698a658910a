package dev.ipcboot.socket.internal;

import java.time.Duration;

/**
 * Writes durations the way users write them in {@code application.yml}.
 */
final class Durations {

	private Durations() {
	}

	static String format(Duration duration) {
		long millis = duration.toMillis();
		if (millis % 1000 != 0) {
			return millis + "ms";
		}
		long seconds = millis / 1000;
		return (seconds % 60 != 0 || seconds == 0) ? seconds + "s" : (seconds / 60) + "m";
	}

	/** A timeout as the positive {@code int} of milliseconds that sockets take. */
	static int millis(Duration timeout) {
		return (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
	}

}
