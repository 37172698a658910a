package dev.ipcboot.session;

import org.jspecify.annotations.Nullable;

/**
 * Published once when the application is about to stop: a termination signal arrived,
 * logind prepares to power off or reboot, or the application context starts closing,
 * whichever comes first. Its listeners run in the save phase: each on a thread of its
 * own, while every bean is still available, and the starter waits for them up to
 * {@code ipc.session.commit-timeout}.
 */
public class SessionShutdownEvent extends SessionEvent {

	private final Reason reason;

	private final @Nullable String signal;

	/**
	 * Create a new event.
	 * @param source the object that noticed the shutdown
	 * @param reason why the application stops
	 * @param signal the signal name ({@code TERM}, {@code INT}, {@code HUP}) when the
	 * reason is {@link Reason#SIGNAL}, otherwise {@code null}
	 */
	public SessionShutdownEvent(Object source, Reason reason, @Nullable String signal) {
		super(source, SESSION);
		this.reason = reason;
		this.signal = signal;
	}

	/**
	 * Why the application stops.
	 * @return the reason
	 */
	public Reason reason() {
		return this.reason;
	}

	/**
	 * The termination signal that started the shutdown.
	 * @return the signal name without {@code SIG} ({@code TERM}), or {@code null} when
	 * the reason is not {@link Reason#SIGNAL}
	 */
	public @Nullable String signal() {
		return this.signal;
	}

	@Override
	public String toString() {
		return "SessionShutdownEvent[" + this.reason + ((this.signal != null) ? " SIG" + this.signal : "") + "]";
	}

	/**
	 * Why the application stops.
	 */
	public enum Reason {

		/** A termination signal (SIGTERM, SIGINT or SIGHUP) arrived. */
		SIGNAL,

		/** logind prepares to power the machine off. */
		LOGIND_SHUTDOWN,

		/** logind prepares to reboot the machine. */
		LOGIND_REBOOT,

		/** The application context started closing for another reason. */
		CONTEXT_CLOSING

	}

}
