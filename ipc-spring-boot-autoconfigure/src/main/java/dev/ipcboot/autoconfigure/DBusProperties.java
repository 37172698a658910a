package dev.ipcboot.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of the D-Bus connection ({@code ipc.dbus}).
 */
@ConfigurationProperties("ipc.dbus")
public class DBusProperties {

	/**
	 * Whether to enable the D-Bus connection, exported beans and signal channels.
	 */
	private boolean enabled = true;

	/**
	 * Bus to connect to: 'session', 'system', 'private' (a bus daemon started for this
	 * application and stopped with it) or a bus address such as unix:path=/run/dbus/bus.
	 */
	private String bus = "session";

	/**
	 * Well-known name to own on the bus, for example dev.example.Desk; start-up fails if
	 * another connection owns it.
	 */
	private @Nullable String serviceName;

	/**
	 * How long a method call waits for its reply.
	 */
	private Duration callTimeout = Duration.ofSeconds(5);

	/**
	 * Whether calls ask the bus to start an activatable service that is not running, as
	 * Qt does; false makes such calls fail with ServiceUnknown at once.
	 */
	private boolean autoStart = true;

	/**
	 * Signal subscriptions, each a channel for @IpcListener methods, by channel name.
	 */
	private Map<String, Signal> signals = new LinkedHashMap<>();

	/**
	 * Bus names whose appearance, change of owner and disappearance are published as
	 * events.
	 */
	private List<String> watchNames = new ArrayList<>();

	private final Reconnect reconnect = new Reconnect();

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

	public @Nullable String getServiceName() {
		return this.serviceName;
	}

	public void setServiceName(@Nullable String serviceName) {
		this.serviceName = serviceName;
	}

	public boolean isAutoStart() {
		return this.autoStart;
	}

	public void setAutoStart(boolean autoStart) {
		this.autoStart = autoStart;
	}

	public Duration getCallTimeout() {
		return this.callTimeout;
	}

	public void setCallTimeout(Duration callTimeout) {
		this.callTimeout = callTimeout;
	}

	public Map<String, Signal> getSignals() {
		return this.signals;
	}

	public void setSignals(Map<String, Signal> signals) {
		this.signals = signals;
	}

	public List<String> getWatchNames() {
		return this.watchNames;
	}

	public void setWatchNames(List<String> watchNames) {
		this.watchNames = watchNames;
	}

	public Reconnect getReconnect() {
		return this.reconnect;
	}

	/**
	 * One signal subscription.
	 */
	public static class Signal {

		/**
		 * Interface of the signal, for example org.freedesktop.login1.Manager.
		 */
		private @Nullable String interfaceName;

		/**
		 * Name of the signal, for example PrepareForShutdown.
		 */
		private @Nullable String member;

		/**
		 * Object path the signal must come from; any path if not set.
		 */
		private @Nullable String path;

		/**
		 * Bus name of the sender; any sender if not set.
		 */
		private @Nullable String sender;

		/**
		 * String values the signal's arguments must have, by argument index (0 to 63).
		 */
		private Map<Integer, String> args = new LinkedHashMap<>();

		public @Nullable String getInterface() {
			return this.interfaceName;
		}

		public void setInterface(@Nullable String interfaceName) {
			this.interfaceName = interfaceName;
		}

		public @Nullable String getMember() {
			return this.member;
		}

		public void setMember(@Nullable String member) {
			this.member = member;
		}

		public @Nullable String getPath() {
			return this.path;
		}

		public void setPath(@Nullable String path) {
			this.path = path;
		}

		public @Nullable String getSender() {
			return this.sender;
		}

		public void setSender(@Nullable String sender) {
			this.sender = sender;
		}

		public Map<Integer, String> getArgs() {
			return this.args;
		}

		public void setArgs(Map<Integer, String> args) {
			this.args = args;
		}

	}

	/**
	 * Reconnection after the bus went away.
	 */
	public static class Reconnect {

		/**
		 * Whether to reconnect to the same address when the bus goes away.
		 */
		private boolean enabled = true;

		/**
		 * Wait before the first reconnection attempt; doubled after each failed attempt.
		 */
		private Duration initialBackoff = Duration.ofMillis(100);

		/**
		 * Longest wait between reconnection attempts.
		 */
		private Duration maxBackoff = Duration.ofSeconds(2);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getInitialBackoff() {
			return this.initialBackoff;
		}

		public void setInitialBackoff(Duration initialBackoff) {
			this.initialBackoff = initialBackoff;
		}

		public Duration getMaxBackoff() {
			return this.maxBackoff;
		}

		public void setMaxBackoff(Duration maxBackoff) {
			this.maxBackoff = maxBackoff;
		}

	}

}
