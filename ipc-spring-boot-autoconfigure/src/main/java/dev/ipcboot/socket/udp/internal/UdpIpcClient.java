package dev.ipcboot.socket.udp.internal;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.integration.expression.FunctionExpression;
import org.springframework.integration.ip.udp.outbound.MulticastSendingMessageHandler;
import org.springframework.integration.ip.udp.outbound.UnicastSendingMessageHandler;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessagingException;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.support.GenericMessage;

import dev.ipcboot.internal.IpcResource;
import dev.ipcboot.internal.IpcResourceState;
import dev.ipcboot.socket.internal.ClientPayloads;
import dev.ipcboot.socket.IpcClient;
import dev.ipcboot.socket.IpcClientException;
import dev.ipcboot.socket.IpcClientTimeoutException;
import dev.ipcboot.socket.udp.UdpClientSettings;

/**
 * A client with {@code transport: udp}: {@link #send} is one datagram, fire and forget,
 * through Spring Integration's {@link UnicastSendingMessageHandler} (or
 * {@link MulticastSendingMessageHandler} to a group); {@link #request} sends the datagram
 * from a socket of its own, connected to the server, and waits {@code request-timeout}
 * for the one reply datagram, so concurrent requests never see each other's replies. A
 * multicast client only sends: which member should answer is not defined.
 */
public final class UdpIpcClient implements IpcClient, IpcResource, AutoCloseable {

	/** Header with the socket a request leaves from. */
	private static final String SOCKET_HEADER = "ipc_udpSocket";

	private final UdpClientSettings settings;

	private final ClientPayloads payloads;

	private final Executor executor;

	private final UnicastSendingMessageHandler sender;

	private final @Nullable UnicastSendingMessageHandler requester;

	private final AtomicBoolean closed = new AtomicBoolean();

	/**
	 * Create a client; its socket is opened by the first send.
	 * @param settings the settings
	 * @param converter converts payloads and replies
	 * @param executor runs {@link #requestAsync} calls
	 */
	public UdpIpcClient(UdpClientSettings settings, MessageConverter converter, Executor executor) {
		this.settings = settings;
		this.payloads = new ClientPayloads(settings.name(), converter);
		this.executor = executor;
		BeanFactory beanFactory = IntegrationSupport.beanFactory();
		String host = settings.destination().getAddress().getHostAddress();
		int port = settings.destination().getPort();
		if (settings.multicast()) {
			MulticastSendingMessageHandler multicast = new MulticastSendingMessageHandler(host, port);
			multicast.setTimeToLive(settings.timeToLive());
			multicast.setSocketCustomizer((socket) -> {
				try {
					socket.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, settings.loopback());
					if (settings.networkInterface() != null) {
						socket.setOption(StandardSocketOptions.IP_MULTICAST_IF, settings.networkInterface());
					}
				}
				catch (java.net.SocketException ex) {
					throw ex;
				}
				catch (IOException ex) {
					throw new java.net.SocketException(ex.getMessage());
				}
			});
			this.sender = multicast;
			this.requester = null;
		}
		else {
			this.sender = new UnicastSendingMessageHandler(host, port);
			UnicastSendingMessageHandler requests = new UnicastSendingMessageHandler(host, port);
			requests.setSocketExpression(
					new FunctionExpression<Message<?>>((message) -> message.getHeaders().get(SOCKET_HEADER)));
			this.requester = init(requests, beanFactory);
		}
		if (settings.sendBufferSize() > 0) {
			this.sender.setSoSendBufferSize(settings.sendBufferSize());
		}
		init(this.sender, beanFactory);
	}

	private static UnicastSendingMessageHandler init(UnicastSendingMessageHandler handler, BeanFactory beanFactory) {
		handler.setBeanFactory(beanFactory);
		handler.afterPropertiesSet();
		handler.start();
		return handler;
	}

	@Override
	public String name() {
		return this.settings.name();
	}

	@Override
	public void send(Object payload) {
		byte[] bytes = toDatagram(payload);
		try {
			this.sender.handleMessage(new GenericMessage<>(bytes));
		}
		catch (MessagingException ex) {
			throw new IpcClientException(name(),
					"Client '" + name() + "' could not send a datagram to " + destination() + ": " + rootMessage(ex),
					ex);
		}
	}

	@Override
	public byte[] request(Object payload) {
		UnicastSendingMessageHandler requests = this.requester;
		if (requests == null) {
			throw new IpcClientException(name(),
					"Client '" + name() + "' sends to the multicast group " + destination()
							+ ": it cannot wait for one reply; use send, or a unicast client (host and port) "
							+ "for requests");
		}
		byte[] bytes = toDatagram(payload);
		try (DatagramSocket socket = new DatagramSocket()) {
			// connected: the kernel delivers only the server's datagrams to it, and an
			// ICMP port unreachable shows as PortUnreachableException
			socket.connect(this.settings.destination());
			socket.setSoTimeout(
					(int) Math.max(1, Math.min(Integer.MAX_VALUE, this.settings.requestTimeout().toMillis())));
			Map<String, Object> headers = new LinkedHashMap<>();
			headers.put(SOCKET_HEADER, socket);
			requests.handleMessage(new GenericMessage<>(bytes, headers));
			byte[] buffer = new byte[this.settings.maxMessageSize() + 1];
			DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
			socket.receive(reply);
			if (reply.getLength() > this.settings.maxMessageSize()) {
				throw new IpcClientException(name(), "Client '" + name() + "' got a reply from " + destination()
						+ " longer than max-message-size (" + this.settings.maxMessageSize() + " bytes)");
			}
			byte[] result = new byte[reply.getLength()];
			System.arraycopy(buffer, reply.getOffset(), result, 0, result.length);
			return result;
		}
		catch (SocketTimeoutException ex) {
			throw new IpcClientTimeoutException(
					name(), "Client '" + name() + "' got no reply datagram from " + destination()
							+ " within request-timeout (" + this.settings.requestTimeout().toMillis() + "ms)",
					this.settings.requestTimeout(), ex);
		}
		catch (PortUnreachableException ex) {
			throw new IpcClientException(name(),
					"Client '" + name() + "': nothing receives on " + destination() + " (port unreachable)", ex);
		}
		catch (IOException ex) {
			throw new IpcClientException(name(),
					"Client '" + name() + "' could not exchange datagrams with " + destination() + ": " + ex, ex);
		}
		catch (MessagingException ex) {
			if (ex.getCause() instanceof PortUnreachableException unreachable) {
				throw new IpcClientException(name(),
						"Client '" + name() + "': nothing receives on " + destination() + " (port unreachable)",
						unreachable);
			}
			throw new IpcClientException(name(),
					"Client '" + name() + "' could not send a datagram to " + destination() + ": " + rootMessage(ex),
					ex);
		}
	}

	@Override
	public <T> T request(Object payload, Class<T> replyType) {
		return this.payloads.fromBytes(request(payload), replyType);
	}

	@Override
	public CompletableFuture<byte[]> requestAsync(Object payload) {
		return CompletableFuture.supplyAsync(() -> request(payload), this.executor);
	}

	@Override
	public <T> CompletableFuture<T> requestAsync(Object payload, Class<T> replyType) {
		return CompletableFuture.supplyAsync(() -> request(payload, replyType), this.executor);
	}

	private byte[] toDatagram(Object payload) {
		if (this.closed.get()) {
			throw new IpcClientException(name(), "Client '" + name() + "' is closed");
		}
		byte[] bytes = this.payloads.toBytes(payload);
		if (bytes.length > this.settings.maxMessageSize()) {
			throw new IpcClientException(name(),
					"Client '" + name() + "' cannot send " + bytes.length
							+ " bytes in one datagram: longer than max-message-size (" + this.settings.maxMessageSize()
							+ " bytes)");
		}
		return bytes;
	}

	private String destination() {
		return this.settings.destination().getAddress().getHostAddress() + ":" + this.settings.destination().getPort();
	}

	private static String rootMessage(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return String.valueOf(root.getMessage());
	}

	@Override
	public String kind() {
		return this.settings.multicast() ? "UDP multicast client" : "UDP client";
	}

	/**
	 * The property that defines this client, for messages.
	 * @return {@code ipc.clients.<name>}
	 */
	public String property() {
		return this.settings.property();
	}

	@Override
	public IpcResourceState state() {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("transport", "udp");
		details.put("destination", destination());
		return this.closed.get() ? IpcResourceState.down("closed", details) : IpcResourceState.up(details);
	}

	/** Close the sending socket. */
	@Override
	public void close() {
		if (this.closed.compareAndSet(false, true)) {
			this.sender.stop();
			if (this.requester != null) {
				this.requester.stop();
			}
		}
	}

	@Override
	public String toString() {
		return "UdpIpcClient[" + name() + " to " + destination() + "]";
	}

}
