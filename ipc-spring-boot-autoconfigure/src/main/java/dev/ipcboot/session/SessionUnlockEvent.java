package dev.ipcboot.session;

/**
 * Published when the user session the application runs in is unlocked again after a
 * {@link SessionLockEvent}. The resource name is the logind session id.
 */
public class SessionUnlockEvent extends SessionEvent {

	/**
	 * Create a new event.
	 * @param source the object that noticed the unlock
	 * @param sessionId the logind session id, for example {@code 2}
	 */
	public SessionUnlockEvent(Object source, String sessionId) {
		super(source, sessionId);
	}

}
