package dev.ipcboot.listener;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;

/**
 * A channel of our own SPI that delivers messages handed to it in the test, so that the
 * listener pipeline can be tested without a transport.
 */
class InMemoryChannel implements IpcChannel {

	private final String name;

	private final List<IpcMessageListener> listeners = new CopyOnWriteArrayList<>();

	/** The buffer {@link #lend} reuses for every message. */
	private final ByteBuffer lent = ByteBuffer.allocateDirect(256);

	InMemoryChannel(String name) {
		this.name = name;
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public String kind() {
		return "in-memory";
	}

	@Override
	public String property() {
		return "test.channels." + this.name;
	}

	@Override
	public void addListener(IpcMessageListener listener) {
		this.listeners.add(listener);
	}

	List<IpcMessageListener> listeners() {
		return this.listeners;
	}

	Outcome deliver(String payload, Map<String, Object> headers) {
		Message<byte[]> message = MessageBuilder.withPayload(payload.getBytes(StandardCharsets.UTF_8))
			.copyHeaders(headers)
			.setHeader(IpcHeaders.CHANNEL, this.name)
			.build();
		Outcome outcome = new Outcome();
		for (IpcMessageListener listener : this.listeners) {
			listener.onMessage(message, outcome);
		}
		return outcome;
	}

	Outcome deliver(String payload) {
		return deliver(payload, Map.of());
	}

	/**
	 * Deliver the payload as a lending channel does: a view of a direct buffer that the
	 * channel overwrites as soon as the call returned.
	 */
	Outcome lend(String payload) {
		byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
		this.lent.clear().put(bytes).flip();
		Message<ByteBuffer> message = MessageBuilder.withPayload(this.lent.duplicate())
			.setHeader(IpcHeaders.CHANNEL, this.name)
			.build();
		Outcome outcome = new Outcome();
		for (IpcMessageListener listener : this.listeners) {
			listener.onMessage(message, outcome);
		}
		this.lent.clear();
		while (this.lent.hasRemaining()) {
			this.lent.put((byte) '#');
		}
		return outcome;
	}

	static final class Outcome implements IpcReplyTarget {

		final CompletableFuture<String> reply = new CompletableFuture<>();

		final CompletableFuture<Throwable> failure = new CompletableFuture<>();

		@Override
		public void reply(byte[] payload) {
			this.reply.complete(new String(payload, StandardCharsets.UTF_8));
		}

		@Override
		public void fail(Throwable error) {
			this.failure.complete(error);
		}

		@Override
		public String describePeer() {
			return "test peer";
		}

	}

}
