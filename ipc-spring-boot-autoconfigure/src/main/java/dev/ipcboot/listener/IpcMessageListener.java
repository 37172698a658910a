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
	 * Handle one message. Must not throw: failures go to the reply target. A listener
	 * attached through the {@link IpcListenerEndpointRegistry} receives payloads it owns
	 * (a channel of bytes passes a {@code byte[]}); only the starter's own
	 * {@link IpcListener} adapter is given the {@link java.nio.ByteBuffer} view of its
	 * own buffer that a channel may lend for the duration of the call (see
	 * {@link IpcChannel#addListener}).
	 * @param message the message, with the channel's headers
	 * @param replyTarget where the reply or the failure goes
	 */
	void onMessage(Message<?> message, IpcReplyTarget replyTarget);

}
