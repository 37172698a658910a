package dev.ipcboot.session.internal;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.Ordered;

import dev.ipcboot.session.SessionShutdownEvent;
import dev.ipcboot.session.SystemdNotifier;

/**
 * Sends {@code READY=1} when the application is ready ({@link ApplicationReadyEvent}) and
 * {@code STOPPING=1} when it begins to stop: at a termination signal, before the save
 * phase, or else when the context starts closing. A shutdown that logind announces does
 * not count: it may still be cancelled, and systemd sends the signal when it really stops
 * the service.
 */
public final class SystemdReadiness implements ApplicationListener<ApplicationEvent>, ApplicationContextAware, Ordered {

	private final SystemdNotifier notifier;

	private @Nullable ApplicationContext context;

	/**
	 * Create the listener.
	 * @param notifier sends the notifications
	 */
	public SystemdReadiness(SystemdNotifier notifier) {
		this.notifier = notifier;
	}

	@Override
	public void setApplicationContext(ApplicationContext context) {
		this.context = context;
	}

	@Override
	public void onApplicationEvent(ApplicationEvent event) {
		if (event instanceof ApplicationReadyEvent ready && ready.getApplicationContext() == this.context) {
			this.notifier.ready();
		}
		else if ((event instanceof ContextClosedEvent closed && closed.getApplicationContext() == this.context)
				|| (event instanceof SessionShutdownEvent shutdown
						&& shutdown.reason() == SessionShutdownEvent.Reason.SIGNAL)) {
			this.notifier.stopping();
		}
	}

	/**
	 * Before the save phase, so that systemd knows at once that the service is stopping.
	 * @return the highest precedence
	 */
	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
