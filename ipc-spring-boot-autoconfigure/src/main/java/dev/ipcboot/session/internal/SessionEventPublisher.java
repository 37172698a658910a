package dev.ipcboot.session.internal;

import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.Ordered;

import dev.ipcboot.session.SessionEvent;
import dev.ipcboot.session.SessionLockEvent;
import dev.ipcboot.session.SessionResumeEvent;
import dev.ipcboot.session.SessionShutdownEvent;
import dev.ipcboot.session.SessionSleepEvent;
import dev.ipcboot.session.SessionUnlockEvent;
import dev.ipcboot.session.internal.SavePhase;

/**
 * The one place session events come from. Whatever notices a change (termination signals,
 * the context closing, logind) calls it, and it publishes the matching event once per
 * occurrence; shutdown and sleep go through the {@link SavePhase}.
 * <p>
 * A shutdown is published at most once: when logind announced it and systemd then sends
 * SIGTERM and the context closes, the listeners run only for the first of the three,
 * unless logind cancelled the shutdown in between ({@link #shutdownCancelled()}).
 * <p>
 * As a listener of {@link ContextClosedEvent} with the highest precedence it publishes
 * {@code SessionShutdownEvent(CONTEXT_CLOSING)} when nothing else did: Spring publishes
 * that event before it stops lifecycle beans and destroys singletons, so the save phase
 * still sees every bean working.
 * <p>
 * How logind drives it: holding a delay inhibitor lock, on
 * {@code PrepareForShutdown(true)} call {@link #shutdown} with {@code LOGIND_SHUTDOWN} or
 * {@code LOGIND_REBOOT} and close the lock's descriptor when it returns; on
 * {@code PrepareForShutdown(false)} call {@link #shutdownCancelled()}; on
 * {@code PrepareForSleep(true)} call {@link #sleep()} and then close the sleep lock; on
 * {@code PrepareForSleep(false)} take the sleep lock again and call {@link #resume()};
 * the session's {@code Lock} and {@code Unlock} signals call {@link #lock} and
 * {@link #unlock}.
 */
public final class SessionEventPublisher implements ApplicationListener<ContextClosedEvent>, Ordered {

	private static final Log logger = LogFactory.getLog(SessionEventPublisher.class);

	private final SavePhase savePhase;

	private final ApplicationEventPublisher publisher;

	private final AtomicBoolean shutdownPublished = new AtomicBoolean();

	/**
	 * Create a publisher.
	 * @param savePhase runs the listeners of shutdown and sleep
	 * @param publisher publishes the other events
	 */
	public SessionEventPublisher(SavePhase savePhase, ApplicationEventPublisher publisher) {
		this.savePhase = savePhase;
		this.publisher = publisher;
	}

	/**
	 * Publish {@link SessionShutdownEvent} and run the save phase, unless a shutdown was
	 * already published. Returns when the listeners are done or the commit timeout has
	 * passed; the caller then lets the shutdown proceed (closes the inhibitor lock,
	 * delegates to the JVM's signal handler).
	 * @param reason why the application stops
	 * @param signal the signal name for {@link SessionShutdownEvent.Reason#SIGNAL}, else
	 * {@code null}
	 * @return {@code true} if this call published the event, {@code false} if an earlier
	 * one had
	 */
	public boolean shutdown(SessionShutdownEvent.Reason reason, @Nullable String signal) {
		if (!this.shutdownPublished.compareAndSet(false, true)) {
			return false;
		}
		SessionShutdownEvent event = new SessionShutdownEvent(this, reason, signal);
		if (logger.isDebugEnabled()) {
			logger.debug("Application is shutting down (" + describe(reason, signal) + ")");
		}
		this.savePhase.run(event);
		return true;
	}

	/**
	 * Allow the next {@link #shutdown} to publish again, after logind announced that a
	 * shutdown it had prepared for was cancelled ({@code PrepareForShutdown(false)}).
	 */
	public void shutdownCancelled() {
		this.shutdownPublished.set(false);
	}

	/**
	 * Publish {@link SessionSleepEvent} and run the save phase. Returns when the
	 * listeners are done or the commit timeout has passed; the caller then lets the
	 * machine sleep.
	 */
	public void sleep() {
		this.savePhase.run(new SessionSleepEvent(this));
	}

	/**
	 * Publish {@link SessionResumeEvent} on the calling thread.
	 */
	public void resume() {
		this.publisher.publishEvent(new SessionResumeEvent(this));
	}

	/**
	 * Publish {@link SessionLockEvent} on the calling thread.
	 * @param sessionId the logind session that was locked
	 */
	public void lock(String sessionId) {
		this.publisher.publishEvent(new SessionLockEvent(this, sessionId));
	}

	/**
	 * Publish {@link SessionUnlockEvent} on the calling thread.
	 * @param sessionId the logind session that was unlocked
	 */
	public void unlock(String sessionId) {
		this.publisher.publishEvent(new SessionUnlockEvent(this, sessionId));
	}

	/**
	 * Whether the application listens for shutdown events: then SIGTERM is worth a
	 * handler and a shutdown worth a logind lock.
	 * @return whether a listener of {@link SessionShutdownEvent} (or of every session
	 * event) exists
	 */
	boolean listensForShutdown() {
		return this.savePhase.hasListener(new SessionShutdownEvent(this, SessionShutdownEvent.Reason.SIGNAL, "TERM"));
	}

	/**
	 * Whether the application listens for sleep events.
	 * @return whether a listener of {@link SessionSleepEvent} exists
	 */
	boolean listensForSleep() {
		return this.savePhase.hasListener(new SessionSleepEvent(this));
	}

	/**
	 * Whether the application listens for anything logind tells apart from shutdown and
	 * sleep: resuming, and its session being locked or unlocked.
	 * @return whether a listener of those events exists
	 */
	boolean listensForResumeOrLock() {
		return this.savePhase.hasListener(new SessionResumeEvent(this))
				|| this.savePhase.hasListener(new SessionLockEvent(this, SessionEvent.SESSION))
				|| this.savePhase.hasListener(new SessionUnlockEvent(this, SessionEvent.SESSION));
	}

	@Override
	public void onApplicationEvent(ContextClosedEvent event) {
		if (event.getApplicationContext() != this.savePhase.context()) {
			return;
		}
		shutdown(SessionShutdownEvent.Reason.CONTEXT_CLOSING, null);
	}

	/**
	 * First among the listeners of {@link ContextClosedEvent}, right after the one that
	 * tells systemd the service is stopping.
	 * @return nearly the highest precedence
	 */
	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 1;
	}

	private static String describe(SessionShutdownEvent.Reason reason, @Nullable String signal) {
		return switch (reason) {
			case SIGNAL -> "SIG" + signal;
			case LOGIND_SHUTDOWN -> "logind prepares to power off";
			case LOGIND_REBOOT -> "logind prepares to reboot";
			case CONTEXT_CLOSING -> "context closing";
		};
	}

}
