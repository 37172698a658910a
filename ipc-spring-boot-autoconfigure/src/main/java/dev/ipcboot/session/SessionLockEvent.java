package dev.ipcboot.session;

/**
 * Published when the user session the application runs in is locked (the screen locker
 * came up). The resource name is the logind session id.
 */
public class SessionLockEvent extends SessionEvent {

	/**
	 * Create a new event.
	 * @param source the object that noticed the lock
	 * @param sessionId the logind session id, for example {@code 2}
	 */
	public SessionLockEvent(Object source, String sessionId) {
		super(source, sessionId);
	}

}
