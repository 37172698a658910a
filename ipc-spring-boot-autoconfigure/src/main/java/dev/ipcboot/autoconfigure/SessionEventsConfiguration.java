package dev.ipcboot.autoconfigure;

import java.time.Duration;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import dev.ipcboot.IpcConfigurationException;
import dev.ipcboot.session.SystemdNotifier;
import dev.ipcboot.session.internal.LogindMonitor;
import dev.ipcboot.session.internal.SavePhase;
import dev.ipcboot.session.internal.SessionEventPublisher;
import dev.ipcboot.session.internal.SystemdWatchdog;
import dev.ipcboot.session.internal.TerminationSignals;

/**
 * The save phase, the session event publisher and the termination signal handlers: the
 * part of the session facility that needs nothing outside the JVM.
 */
@Configuration(proxyBeanMethods = false)
class SessionEventsConfiguration {

	@Bean({ "ipcSessionSavePhase", "sessionSavePhase" })
	@ConditionalOnMissingBean
	SavePhase ipcSessionSavePhase(ConfigurableApplicationContext context, SessionProperties properties) {
		Duration commitTimeout = properties.getCommitTimeout();
		if (commitTimeout.isNegative()) {
			throw new IpcConfigurationException("ipc.session.commit-timeout",
					"must not be negative, but is " + commitTimeout,
					"Set ipc.session.commit-timeout to how long shutdown and sleep wait for listeners, such as 10s");
		}
		return new SavePhase(context, commitTimeout);
	}

	@Bean({ "ipcSessionEventPublisher", "sessionEventPublisher" })
	@ConditionalOnMissingBean
	SessionEventPublisher ipcSessionEventPublisher(SavePhase savePhase, ApplicationEventPublisher publisher) {
		return new SessionEventPublisher(savePhase, publisher);
	}

	@Bean({ "ipcSessionTerminationSignals", "sessionTerminationSignals" })
	@ConditionalOnMissingBean
	TerminationSignals ipcSessionTerminationSignals(SessionEventPublisher events) {
		return new TerminationSignals(events);
	}

	@Bean({ "ipcSessionStartupReport", "sessionStartupReport" })
	static SessionStartupReport ipcSessionStartupReport(Environment environment,
			ObjectProvider<SystemdNotifier> notifier, ObjectProvider<SystemdWatchdog> watchdog,
			ObjectProvider<LogindMonitor> logind) {
		return new SessionStartupReport(environment, notifier, watchdog, logind);
	}

}
