package dev.ipcboot.listener;

import java.nio.ByteBuffer;

import org.springframework.messaging.Message;
import org.springframework.messaging.support.GenericMessage;

/**
 * A channel may pass a payload as a {@link ByteBuffer} view of its own receive buffer,
 * valid only while {@link IpcMessageListener#onMessage} runs (see
 * {@link IpcChannel#addListener}). Whoever keeps the payload beyond the call, or hands it
 * to code that may, copies it first: the listener adapter for a method that does not read
 * a {@code ByteBuffer} during the call, the container for a listener of another kind and
 * for a message it buffers.
 */
final class LentPayloads {

	private LentPayloads() {
	}

	/**
	 * The message with a payload of its own: a {@code ByteBuffer} payload copied into a
	 * {@code byte[]} (what channels of bytes pass otherwise), anything else as it is.
	 * @param message the message as the channel passed it
	 * @return the message, or a message with the same headers and a copied payload
	 */
	static Message<?> owned(Message<?> message) {
		if (!(message.getPayload() instanceof ByteBuffer view)) {
			return message;
		}
		byte[] copy = new byte[view.remaining()];
		view.get(view.position(), copy);
		return new GenericMessage<>(copy, message.getHeaders());
	}

}
