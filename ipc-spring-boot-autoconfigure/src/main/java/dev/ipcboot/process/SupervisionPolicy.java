package dev.ipcboot.process;

import java.time.Duration;

/**
 * When and how fast a supervised process is restarted.
 *
 * @param restart when to restart
 * @param restartDelay delay before the first restart after a good run; doubles with each
 * further restart in a row
 * @param restartMaxDelay longest delay; a run that lasts at least this long resets the
 * delay to {@code restartDelay}
 * @param maxRestarts restarts allowed within {@code restartWindow} before supervision
 * gives up
 * @param restartWindow the window {@code maxRestarts} counts in
 */
public record SupervisionPolicy(RestartPolicy restart, Duration restartDelay, Duration restartMaxDelay, int maxRestarts,
		Duration restartWindow) {

	/**
	 * Check the settings.
	 * @throws IllegalArgumentException if a delay is negative, the delay exceeds the
	 * maximum, or {@code maxRestarts} is negative
	 */
	public SupervisionPolicy {
		if (restartDelay.isNegative() || restartMaxDelay.isNegative() || restartWindow.isNegative()) {
			throw new IllegalArgumentException("Restart delays and window must not be negative");
		}
		if (restartDelay.compareTo(restartMaxDelay) > 0) {
			throw new IllegalArgumentException("restartDelay must not exceed restartMaxDelay");
		}
		if (maxRestarts < 0) {
			throw new IllegalArgumentException("maxRestarts must not be negative");
		}
	}

	/**
	 * Delay before restart attempt {@code n} of a series: {@code restartDelay * 2^(n-1)},
	 * at most {@code restartMaxDelay}.
	 * @param attempt the attempt, from 1
	 * @return the delay
	 */
	public Duration delayFor(int attempt) {
		Duration delay = this.restartDelay;
		for (int i = 1; i < attempt && delay.compareTo(this.restartMaxDelay) < 0; i++) {
			delay = delay.multipliedBy(2);
		}
		return (delay.compareTo(this.restartMaxDelay) > 0) ? this.restartMaxDelay : delay;
	}

	boolean shouldRestart(boolean failed) {
		return switch (this.restart) {
			case NEVER -> false;
			case ON_FAILURE -> failed;
			case ALWAYS -> true;
		};
	}

}
