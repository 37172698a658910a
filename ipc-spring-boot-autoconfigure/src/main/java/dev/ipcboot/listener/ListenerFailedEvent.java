package dev.ipcboot.listener;

import dev.ipcboot.IpcEvent;

/**
 * Published when an {@link IpcListener} method failed and no {@link IpcErrorHandler}
 * turned the failure into a reply.
 */
public class ListenerFailedEvent extends IpcEvent {

	private final String listener;

	private final String peer;

	private final Throwable error;

	/**
	 * Create a new event.
	 * @param source the listener adapter
	 * @param channel the channel name
	 * @param listener the description of the listener method
	 * @param peer the description of the peer
	 * @param error the failure
	 */
	public ListenerFailedEvent(Object source, String channel, String listener, String peer, Throwable error) {
		super(source, channel);
		this.listener = listener;
		this.peer = peer;
		this.error = error;
	}

	/**
	 * The listener method that failed.
	 * @return its description
	 */
	public String listener() {
		return this.listener;
	}

	/**
	 * The peer whose message failed.
	 * @return its description
	 */
	public String peer() {
		return this.peer;
	}

	/**
	 * The failure.
	 * @return the exception
	 */
	public Throwable error() {
		return this.error;
	}

}
