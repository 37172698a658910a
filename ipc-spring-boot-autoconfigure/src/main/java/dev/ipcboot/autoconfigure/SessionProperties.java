package dev.ipcboot.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

import dev.ipcboot.session.InhibitKind;

/**
 * Configuration of session lifecycle events, logind inhibitor locks and systemd
 * notification ({@code ipc.session}).
 */
@ConfigurationProperties("ipc.session")
public class SessionProperties {

	/**
	 * Whether to enable session lifecycle events, termination signal handling, logind
	 * inhibitor locks and systemd notification.
	 */
	private boolean enabled = true;

	/**
	 * How long shutdown and sleep wait for the listeners of SessionShutdownEvent and
	 * SessionSleepEvent to save their work before carrying on.
	 */
	private Duration commitTimeout = Duration.ofSeconds(10);

	private final Logind logind = new Logind();

	private final Systemd systemd = new Systemd();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Duration getCommitTimeout() {
		return this.commitTimeout;
	}

	public void setCommitTimeout(Duration commitTimeout) {
		this.commitTimeout = commitTimeout;
	}

	public Logind getLogind() {
		return this.logind;
	}

	public Systemd getSystemd() {
		return this.systemd;
	}

	/**
	 * logind (org.freedesktop.login1): delay inhibitor locks, shutdown, sleep and lock
	 * signals.
	 */
	public static class Logind {

		/**
		 * Whether to take delay inhibitor locks and listen to logind's shutdown, sleep
		 * and lock signals for the application's listeners of session events, when
		 * org.freedesktop.login1 is reachable on the bus.
		 */
		private boolean enabled = true;

		/**
		 * Bus on which logind is reached: "system", or a D-Bus address such as
		 * unix:path=/run/dbus/system_bus_socket.
		 */
		private String bus = "system";

		/**
		 * What the delay inhibitor locks may hold back while the save phase runs. A lock
		 * is taken only when the application has a listener of the event it delays
		 * (SessionShutdownEvent for shutdown, SessionSleepEvent for sleep), unless
		 * inhibit-without-listeners is set.
		 */
		private List<InhibitKind> inhibit = new ArrayList<>(List.of(InhibitKind.SHUTDOWN, InhibitKind.SLEEP));

		/**
		 * Whether to hold the inhibit locks even when the application has no listener of
		 * the event they delay (and so to connect to logind at start-up).
		 */
		private boolean inhibitWithoutListeners = false;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getBus() {
			return this.bus;
		}

		public void setBus(String bus) {
			this.bus = bus;
		}

		public List<InhibitKind> getInhibit() {
			return this.inhibit;
		}

		public void setInhibit(List<InhibitKind> inhibit) {
			this.inhibit = inhibit;
		}

		public boolean isInhibitWithoutListeners() {
			return this.inhibitWithoutListeners;
		}

		public void setInhibitWithoutListeners(boolean inhibitWithoutListeners) {
			this.inhibitWithoutListeners = inhibitWithoutListeners;
		}

	}

	/**
	 * systemd service notification (sd_notify): READY, STOPPING, STATUS and watchdog.
	 */
	public static class Systemd {

		/**
		 * Whether to notify systemd when the NOTIFY_SOCKET environment variable is set (a
		 * Type=notify service).
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

}
