package dev.ipcboot.listener;

import org.springframework.messaging.Message;

/**
 * Receives the messages of a channel. The starter implements it around each
 * {@link IpcListener} method; channels call it on their own threads.
 */
public interface IpcMessageListener {

	/**
	 * Describe the listener for error messages (the annotated method).
	 * @return a description
	 */
	String describe();

	/**
	 * Handle one message. Must not throw: failures go to the reply target.
	 * @param message the message, with the channel's headers
	 * @param replyTarget where the reply or the failure goes
	 */
	void onMessage(Message<?> message, IpcReplyTarget replyTarget);

}
