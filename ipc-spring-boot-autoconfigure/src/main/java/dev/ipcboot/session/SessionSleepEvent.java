package dev.ipcboot.session;

/**
 * Published when logind prepares to suspend or hibernate the machine. Its listeners run
 * in the save phase, and the machine sleeps when they are done or
 * {@code ipc.session.commit-timeout} has passed. A {@link SessionResumeEvent} follows
 * after wake-up.
 */
public class SessionSleepEvent extends SessionEvent {

	/**
	 * Create a new event.
	 * @param source the object that noticed the sleep
	 */
	public SessionSleepEvent(Object source) {
		super(source, SESSION);
	}

}
