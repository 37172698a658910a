package dev.ipcboot.session.internal;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;

import dev.ipcboot.session.SystemdNotifier;
import dev.ipcboot.session.WatchdogHealthCheck;

/**
 * Sends {@code WATCHDOG=1} to systemd at half of {@code WATCHDOG_USEC}, as
 * {@code sd_watchdog_enabled(3)} recommends, from the moment the application is ready
 * until its context is destroyed, on the thread {@code ipc-session-watchdog-1}. Before
 * each heartbeat it asks the {@link WatchdogHealthCheck}; while the answer is no, it
 * sends nothing, and it says so once per change.
 */
public final class SystemdWatchdog implements ApplicationListener<ApplicationReadyEvent>, DisposableBean {

	private static final Log logger = LogFactory.getLog(SystemdWatchdog.class);

	private final SystemdNotifier notifier;

	private final Duration interval;

	private final WatchdogHealthCheck health;

	private @Nullable ScheduledExecutorService scheduler;

	private boolean healthy = true;

	/**
	 * Create a watchdog; it starts when the application is ready.
	 * @param notifier sends the heartbeat
	 * @param interval time between heartbeats, half of {@code WATCHDOG_USEC}
	 * @param health decides whether to send it
	 */
	public SystemdWatchdog(SystemdNotifier notifier, Duration interval, WatchdogHealthCheck health) {
		this.notifier = notifier;
		this.interval = interval;
		this.health = health;
	}

	/**
	 * The time between heartbeats.
	 * @return half of {@code WATCHDOG_USEC}
	 */
	public Duration interval() {
		return this.interval;
	}

	@Override
	public synchronized void onApplicationEvent(ApplicationReadyEvent event) {
		if (this.scheduler != null) {
			return;
		}
		this.scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "ipc-session-watchdog-1");
			thread.setDaemon(true);
			return thread;
		});
		long nanos = this.interval.toNanos();
		this.scheduler.scheduleAtFixedRate(this::beat, 0, nanos, TimeUnit.NANOSECONDS);
	}

	private void beat() {
		boolean now = isHealthy();
		if (now != this.healthy) {
			this.healthy = now;
			if (now) {
				logger.info("Application is healthy again: systemd watchdog heartbeats resume");
			}
			else {
				logger.warn("Application is not healthy: systemd watchdog heartbeats stop, so systemd will restart it "
						+ "if it does not recover within WatchdogSec");
			}
		}
		if (now) {
			this.notifier.watchdog();
		}
	}

	private boolean isHealthy() {
		try {
			return this.health.isHealthy();
		}
		catch (RuntimeException ex) {
			if (this.healthy) {
				logger.warn("Watchdog health check failed; counting the application as unhealthy", ex);
			}
			return false;
		}
	}

	/**
	 * Stop the heartbeats and wait for the watchdog thread to end.
	 */
	@Override
	public synchronized void destroy() throws InterruptedException {
		if (this.scheduler != null) {
			this.scheduler.shutdownNow();
			this.scheduler.awaitTermination(10, TimeUnit.SECONDS);
			this.scheduler = null;
		}
	}

}
