package dev.ipcboot.observability;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;

import dev.ipcboot.internal.IpcChannelMetrics;
import dev.ipcboot.internal.IpcMetrics;
import dev.ipcboot.internal.IpcResource;
import dev.ipcboot.internal.IpcResourceState;
import dev.ipcboot.listener.IpcChannel;
import dev.ipcboot.listener.IpcHeaders;
import dev.ipcboot.socket.SocketHeaders;
import dev.ipcboot.listener.IpcMessageListener;
import dev.ipcboot.listener.IpcReplyTarget;

/**
 * A server of our own SPI that plugs into observability exactly as a facility's server
 * does: it is a channel and a resource, takes its meters from {@link IpcMetrics} once,
 * and records every message it receives and every reply it writes. Its state is flipped
 * by the test.
 */
class FakeServer implements IpcChannel, IpcResource {

	private final String name;

	private final IpcChannelMetrics metrics;

	private final List<IpcMessageListener> listeners = new CopyOnWriteArrayList<>();

	private volatile IpcResourceState state;

	FakeServer(String name, IpcMetrics metrics) {
		this.name = name;
		this.metrics = metrics.channel(name, "local");
		this.state = IpcResourceState.up(Map.of("path", "/run/test/" + name + ".sock", "connections", 0));
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public String kind() {
		return "local server";
	}

	@Override
	public String property() {
		return "ipc.servers." + this.name;
	}

	@Override
	public void addListener(IpcMessageListener listener) {
		this.listeners.add(listener);
	}

	@Override
	public IpcResourceState state() {
		return this.state;
	}

	void fail(String reason) {
		this.state = IpcResourceState.down(reason, Map.of("path", "/run/test/" + this.name + ".sock"));
	}

	CompletableFuture<String> deliver(String payload) {
		byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
		this.metrics.messageReceived(bytes.length);
		Message<byte[]> message = MessageBuilder.withPayload(bytes)
			.setHeader(IpcHeaders.CHANNEL, this.name)
			.setHeader(SocketHeaders.CONNECTION_ID, "test-1")
			.build();
		Reply reply = new Reply();
		for (IpcMessageListener listener : this.listeners) {
			listener.onMessage(message, reply);
		}
		return reply.result;
	}

	private final class Reply implements IpcReplyTarget {

		final CompletableFuture<String> result = new CompletableFuture<>();

		@Override
		public void reply(byte[] payload) {
			FakeServer.this.metrics.messageSent(payload.length);
			this.result.complete(new String(payload, StandardCharsets.UTF_8));
		}

		@Override
		public void fail(Throwable error) {
			FakeServer.this.metrics.connectionFailed("listener-error");
			this.result.completeExceptionally(error);
		}

		@Override
		public String describePeer() {
			return "test peer";
		}

	}

}
