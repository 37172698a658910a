package dev.ipcboot.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

import dev.ipcboot.session.SystemdNotifier;
import dev.ipcboot.session.internal.LogindMonitor;
import dev.ipcboot.session.internal.SystemdWatchdog;

/**
 * Says once, at start-up, in one line, what the session facility does and which part of
 * it was skipped and why, so that an application that is not run by systemd or has no
 * logind starts quietly but not mysteriously. It speaks when the context has refreshed:
 * by then the logind monitor, which connects while the other lifecycle beans start, knows
 * whether logind is there.
 */
class SessionStartupReport
		implements ApplicationListener<ContextRefreshedEvent>, ApplicationContextAware, BeanClassLoaderAware {

	private static final Log logger = LogFactory.getLog(SessionStartupReport.class);

	static final String JUNIXSOCKET_CLASS = "org.newsclub.net.unix.AFUNIXDatagramSocket";

	static final String DBUS_JAVA_CLASS = "org.freedesktop.dbus.connections.impl.DBusConnection";

	/** How long the report waits for logind: the connect timeout and a few calls. */
	private static final Duration LOGIND_WAIT = Duration.ofSeconds(10);

	private final Environment environment;

	private final ObjectProvider<SystemdNotifier> notifier;

	private final ObjectProvider<SystemdWatchdog> watchdog;

	private final ObjectProvider<LogindMonitor> logind;

	private final AtomicBoolean reported = new AtomicBoolean();

	private @Nullable ClassLoader classLoader;

	private @Nullable ApplicationContext context;

	SessionStartupReport(Environment environment, ObjectProvider<SystemdNotifier> notifier,
			ObjectProvider<SystemdWatchdog> watchdog, ObjectProvider<LogindMonitor> logind) {
		this.environment = environment;
		this.notifier = notifier;
		this.watchdog = watchdog;
		this.logind = logind;
	}

	@Override
	public void setApplicationContext(ApplicationContext context) {
		this.context = context;
	}

	@Override
	public void setBeanClassLoader(ClassLoader classLoader) {
		this.classLoader = classLoader;
	}

	@Override
	public void onApplicationEvent(ContextRefreshedEvent event) {
		if (event.getApplicationContext() != this.context || !this.reported.compareAndSet(false, true)) {
			return;
		}
		List<String> parts = new ArrayList<>();
		String systemd = systemd();
		if (systemd != null) {
			parts.add(systemd);
		}
		String logind = logind();
		if (logind != null) {
			parts.add(logind);
		}
		if (!parts.isEmpty()) {
			logger.info("Session lifecycle: " + String.join("; ", parts));
		}
	}

	private @Nullable String systemd() {
		SystemdNotifier notifier = this.notifier.getIfAvailable();
		if (notifier != null) {
			SystemdWatchdog watchdog = this.watchdog.getIfAvailable();
			return "notifying systemd through NOTIFY_SOCKET="
					+ this.environment.getProperty(SessionSystemdConfiguration.NOTIFY_SOCKET)
					+ ((watchdog != null)
							? ", watchdog heartbeat every " + DurationStyle.SIMPLE.print(watchdog.interval())
							: ", no watchdog");
		}
		String skipped = systemdSkipped();
		return (skipped != null) ? "systemd notification skipped: " + skipped : null;
	}

	private @Nullable String logind() {
		LogindMonitor monitor = this.logind.getIfAvailable();
		if (monitor != null) {
			return monitor.outcome(LOGIND_WAIT);
		}
		if (!this.environment.getProperty("ipc.session.logind.enabled", Boolean.class, true)) {
			return null;
		}
		if (!ClassUtils.isPresent(DBUS_JAVA_CLASS, this.classLoader)) {
			return "logind skipped: dbus-java is not on the class path; add com.github.hypfvieh:dbus-java-core"
					+ " and dbus-java-transport-junixsocket";
		}
		return null;
	}

	private @Nullable String systemdSkipped() {
		if (!this.environment.getProperty("ipc.session.systemd.enabled", Boolean.class, true)) {
			return null;
		}
		String notifySocket = this.environment.getProperty(SessionSystemdConfiguration.NOTIFY_SOCKET);
		if (notifySocket == null || notifySocket.isBlank()) {
			return "NOTIFY_SOCKET is not set, so the application does not run as a Type=notify systemd service";
		}
		if (!OnNotifySocketCondition.isUnixAddress(notifySocket)) {
			return "NOTIFY_SOCKET=" + notifySocket
					+ " is neither an absolute path nor an abstract socket name starting with @";
		}
		if (!ClassUtils.isPresent(JUNIXSOCKET_CLASS, this.classLoader)) {
			return "junixsocket is not on the class path; add com.kohlschutter.junixsocket:junixsocket-core";
		}
		return null;
	}

}
