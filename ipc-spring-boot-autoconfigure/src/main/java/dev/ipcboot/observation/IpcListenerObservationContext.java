package dev.ipcboot.observation;

import io.micrometer.observation.transport.ReceiverContext;

import org.springframework.messaging.Message;

/**
 * Context of the observation of one listener invocation; the carrier is the message, so
 * that a tracing propagator can read trace headers a channel put on it.
 */
public class IpcListenerObservationContext extends ReceiverContext<Message<?>> {

	private final String channel;

	private final String listener;

	private final Message<?> message;

	/**
	 * Create a context.
	 * @param message the message the listener is invoked with
	 * @param channel the channel name
	 * @param listener the description of the listener method
	 */
	public IpcListenerObservationContext(Message<?> message, String channel, String listener) {
		super((carrier, key) -> {
			Object value = carrier.getHeaders().get(key);
			return (value != null) ? value.toString() : null;
		});
		setCarrier(message);
		this.message = message;
		this.channel = channel;
		this.listener = listener;
	}

	/**
	 * The channel the message came from.
	 * @return the channel name
	 */
	public String getChannel() {
		return this.channel;
	}

	/**
	 * The listener method.
	 * @return its description
	 */
	public String getListener() {
		return this.listener;
	}

	/**
	 * The message the listener is invoked with.
	 * @return the message
	 */
	public Message<?> getMessage() {
		return this.message;
	}

}
