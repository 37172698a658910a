package dev.ipcboot.session;

/**
 * Decides whether the application is well enough to send systemd its watchdog heartbeat.
 * While it answers {@code false} the heartbeats stop, so that systemd restarts a stuck
 * application ({@code WatchdogSec=} in the unit). Define a bean of this type to decide
 * yourself; with Spring Boot's health endpoint present the starter asks it, otherwise the
 * application counts as healthy while it runs.
 */
@FunctionalInterface
public interface WatchdogHealthCheck {

	/**
	 * Whether the application is healthy. Called on the watchdog thread at every
	 * heartbeat; an exception counts as unhealthy.
	 * @return {@code true} to send the heartbeat
	 */
	boolean isHealthy();

}
