package dev.ipcboot.session;

/**
 * Published when the machine has woken up after a {@link SessionSleepEvent}. Listeners
 * run on the publishing thread, like those of any Spring event.
 */
public class SessionResumeEvent extends SessionEvent {

	/**
	 * Create a new event.
	 * @param source the object that noticed the wake-up
	 */
	public SessionResumeEvent(Object source) {
		super(source, SESSION);
	}

}
