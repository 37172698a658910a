package dev.ipcboot.session;

import dev.ipcboot.IpcEvent;

/**
 * Base class of the session lifecycle events: the machine or the user session is about to
 * go away, goes to sleep, has come back, is locked or unlocked. The resource name is
 * {@code session} unless the event names a logind session.
 */
public abstract class SessionEvent extends IpcEvent {

	/** Resource name of events that concern the whole application. */
	public static final String SESSION = "session";

	/**
	 * Create a new event.
	 * @param source the object that noticed the change
	 * @param resourceName {@link #SESSION} or a logind session id
	 */
	protected SessionEvent(Object source, String resourceName) {
		super(source, resourceName);
	}

}
