package dev.ipcboot.autoconfigure;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import dev.ipcboot.session.SystemdNotifier;
import dev.ipcboot.session.WatchdogHealthCheck;
import dev.ipcboot.session.internal.SystemdReadiness;
import dev.ipcboot.session.internal.SystemdWatchdog;

/**
 * systemd service notification, when the application runs as a {@code Type=notify}
 * service. {@code NOTIFY_SOCKET}, {@code WATCHDOG_USEC} and {@code WATCHDOG_PID} are read
 * from the {@link Environment}, which resolves environment variables, so tests and
 * wrappers can also set them as properties.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "ipc.session.systemd.enabled", matchIfMissing = true)
@Conditional(OnNotifySocketCondition.class)
class SessionSystemdConfiguration {

	static final String NOTIFY_SOCKET = "NOTIFY_SOCKET";

	static final String WATCHDOG_USEC = "WATCHDOG_USEC";

	static final String WATCHDOG_PID = "WATCHDOG_PID";

	@Bean({ "ipcSystemdNotifier", "systemdNotifier" })
	@ConditionalOnMissingBean
	SystemdNotifier ipcSystemdNotifier(Environment environment) throws IOException {
		return new SystemdNotifier(environment.getRequiredProperty(NOTIFY_SOCKET));
	}

	@Bean({ "ipcSystemdReadiness", "systemdReadiness" })
	SystemdReadiness ipcSystemdReadiness(SystemdNotifier notifier) {
		return new SystemdReadiness(notifier);
	}

	@Bean({ "ipcSystemdWatchdog", "systemdWatchdog" })
	@Conditional(OnSystemdWatchdogCondition.class)
	SystemdWatchdog ipcSystemdWatchdog(SystemdNotifier notifier, Environment environment,
			ObjectProvider<WatchdogHealthCheck> health) {
		Duration interval = Objects.requireNonNull(watchdogInterval(environment), "OnSystemdWatchdogCondition");
		return new SystemdWatchdog(notifier, interval, health.getIfAvailable(() -> () -> true));
	}

	/**
	 * Half of {@code WATCHDOG_USEC}, as {@code sd_watchdog_enabled(3)} recommends, if the
	 * watchdog is meant for this process.
	 * @param environment holds {@code WATCHDOG_USEC} and {@code WATCHDOG_PID}
	 * @return the heartbeat interval, or {@code null} without a watchdog
	 */
	static @Nullable Duration watchdogInterval(Environment environment) {
		Long usec = environment.getProperty(WATCHDOG_USEC, Long.class);
		Long pid = environment.getProperty(WATCHDOG_PID, Long.class);
		if (usec == null || usec <= 0 || (pid != null && pid != ProcessHandle.current().pid())) {
			return null;
		}
		return Duration.ofNanos(usec * 1000 / 2);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(HealthEndpoint.class)
	static class HealthEndpointWatchdogConfiguration {

		@Bean({ "ipcHealthEndpointWatchdogHealthCheck", "healthEndpointWatchdogHealthCheck" })
		@ConditionalOnMissingBean
		WatchdogHealthCheck ipcHealthEndpointWatchdogHealthCheck(ObjectProvider<HealthEndpoint> healthEndpoint) {
			return () -> {
				HealthEndpoint endpoint = healthEndpoint.getIfAvailable();
				if (endpoint == null) {
					return true;
				}
				HealthDescriptor health = endpoint.health();
				if (health == null) {
					return true;
				}
				Status status = health.getStatus();
				return !Status.DOWN.equals(status) && !Status.OUT_OF_SERVICE.equals(status);
			};
		}

	}

}
