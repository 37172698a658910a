package dev.ipcboot.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnResource;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import dev.ipcboot.IpcConfigurationException;
import dev.ipcboot.session.LogindSettings;
import dev.ipcboot.session.internal.LogindMonitor;
import dev.ipcboot.session.internal.SessionEventPublisher;

/**
 * logind delay inhibitor locks and its shutdown, sleep and lock signals, through the
 * D-Bus facility. Whether the application asks for logind (a listener of a session event,
 * or ipc.session.logind.inhibit-without-listeners) and whether logind is reachable are
 * found out at start, off the start-up path; {@link SessionStartupReport} says what came
 * of it. dbus-java is looked for as a class file here, which loads none of its classes,
 * and as a class when the monitor starts and is asked for.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnResource(resources = "classpath:org/freedesktop/dbus/connections/impl/DBusConnection.class")
@ConditionalOnBooleanProperty(name = "ipc.session.logind.enabled", matchIfMissing = true)
class SessionLogindConfiguration {

	@Bean({ "ipcLogindMonitor", "logindMonitor" })
	@ConditionalOnMissingBean
	LogindMonitor ipcLogindMonitor(SessionProperties properties, SessionEventPublisher events,
			ApplicationEventPublisher publisher, Environment environment) {
		SessionProperties.Logind logind = properties.getLogind();
		if (logind.getBus() == null || logind.getBus().isBlank()) {
			throw new IpcConfigurationException("ipc.session.logind.bus", "must not be empty",
					"Set ipc.session.logind.bus to system, or to the address of the bus logind is on,"
							+ " or set ipc.session.logind.enabled=false");
		}
		String who = environment.getProperty("spring.application.name", "Spring application");
		return new LogindMonitor(new LogindSettings(logind.getBus().trim(), logind.getInhibit(), who,
				logind.isInhibitWithoutListeners()), events, publisher);
	}

}
