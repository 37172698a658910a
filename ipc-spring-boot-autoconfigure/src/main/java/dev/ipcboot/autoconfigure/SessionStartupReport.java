package dev.ipcboot.autoconfigure;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

import dev.ipcboot.session.SystemdNotifier;
import dev.ipcboot.session.SystemdWatchdog;

/**
 * Says once, at start-up, which part of the session facility was skipped and why, so that
 * an application that is not run by systemd starts quietly but not mysteriously.
 */
class SessionStartupReport implements SmartInitializingSingleton, BeanClassLoaderAware {

	private static final Log logger = LogFactory.getLog(SessionStartupReport.class);

	static final String JUNIXSOCKET_CLASS = "org.newsclub.net.unix.AFUNIXDatagramSocket";

	private final Environment environment;

	private final ObjectProvider<SystemdNotifier> notifier;

	private final ObjectProvider<SystemdWatchdog> watchdog;

	private @Nullable ClassLoader classLoader;

	SessionStartupReport(Environment environment, ObjectProvider<SystemdNotifier> notifier,
			ObjectProvider<SystemdWatchdog> watchdog) {
		this.environment = environment;
		this.notifier = notifier;
		this.watchdog = watchdog;
	}

	@Override
	public void setBeanClassLoader(ClassLoader classLoader) {
		this.classLoader = classLoader;
	}

	@Override
	public void afterSingletonsInstantiated() {
		SystemdNotifier notifier = this.notifier.getIfAvailable();
		if (notifier != null) {
			SystemdWatchdog watchdog = this.watchdog.getIfAvailable();
			logger.info("Session lifecycle: notifying systemd through NOTIFY_SOCKET="
					+ this.environment.getProperty(SessionSystemdConfiguration.NOTIFY_SOCKET)
					+ ((watchdog != null)
							? ", watchdog heartbeat every " + DurationStyle.SIMPLE.print(watchdog.interval())
							: ", no watchdog"));
			return;
		}
		String skipped = systemdSkipped();
		if (skipped != null) {
			logger.info("Session lifecycle: systemd notification skipped: " + skipped);
		}
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
