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

	/**
	 * Whether the listener reads its payload only while {@link #onMessage} runs, as a
	 * {@link java.nio.ByteBuffer}: a channel may then pass a read-only view of a buffer
	 * it reuses for the next message, instead of a {@code byte[]} the listener owns. An
	 * {@link IpcListener} method borrows its payload when its payload parameter is a
	 * {@code ByteBuffer} and it does not return a {@code CompletionStage}.
	 * @return whether a borrowed payload may be passed; {@code false} by default
	 */
	default boolean borrowsPayload() {
		return false;
	}

}
