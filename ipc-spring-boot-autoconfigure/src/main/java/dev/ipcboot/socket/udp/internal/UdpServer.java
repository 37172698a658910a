package dev.ipcboot.socket.udp.internal;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.integration.expression.FunctionExpression;
import org.springframework.integration.ip.udp.inbound.MulticastReceivingChannelAdapter;
import org.springframework.integration.ip.udp.inbound.UnicastReceivingChannelAdapter;
import org.springframework.integration.ip.udp.outbound.UnicastSendingMessageHandler;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.MessagingException;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.support.GenericMessage;

import dev.ipcboot.internal.IpcChannelMetrics;
import dev.ipcboot.IpcConfigurationException;
import dev.ipcboot.internal.IpcMetrics;
import dev.ipcboot.internal.IpcResource;
import dev.ipcboot.internal.IpcResourceState;
import dev.ipcboot.listener.IpcChannel;
import dev.ipcboot.listener.IpcHeaders;
import dev.ipcboot.listener.IpcMessageListener;
import dev.ipcboot.listener.IpcReplyTarget;
import dev.ipcboot.socket.internal.ClientPayloads;
import dev.ipcboot.socket.internal.ServerListeners;
import dev.ipcboot.socket.IpcConnection;
import dev.ipcboot.socket.IpcServer;
import dev.ipcboot.socket.internal.ChannelServers;
import dev.ipcboot.socket.SocketHeaders;
import dev.ipcboot.socket.SocketServerStartedEvent;
import dev.ipcboot.socket.SocketServerStoppedEvent;
import dev.ipcboot.socket.udp.UdpServerSettings;

/**
 * A server with {@code transport: udp}: each datagram that arrives is one message for the
 * {@code @IpcListener} of the server's name, and what the listener returns goes back to
 * the sender as one datagram. Receiving is Spring Integration's
 * {@link UnicastReceivingChannelAdapter} (or {@link MulticastReceivingChannelAdapter} for
 * a group), replies leave through a {@link UnicastSendingMessageHandler}: on the same
 * socket, so the sender sees them come from the port it sent to, except for a multicast
 * server, whose replies come from an ephemeral port (its socket is bound to the group's
 * address, which cannot be a source).
 * <p>
 * A datagram longer than {@code max-message-size} is dropped whole, with a WARN naming
 * the sender (at most one such line per 10 seconds). A datagram that arrives while the
 * listener threads are busy and 256 datagrams already wait for them is dropped too,
 * counted and logged the same way: the receive loop never waits for the listener. What
 * the kernel drops because the socket's receive buffer is full ({@link #kernelDrops()})
 * is counted too, as reason {@code receive-buffer-full}, read from {@code /proc}. UDP has
 * no connections: {@link #connections()} is empty and {@link #broadcast} reaches nobody.
 */
public final class UdpServer implements IpcChannel, IpcServer, IpcResource, ChannelServers.Server {

	private static final Log logger = LogFactory.getLog(UdpServer.class);

	/** Receive loop plus workers that call the listener. */
	private static final int THREADS = 4;

	/**
	 * Datagrams read and waiting for a worker; beyond it a datagram is dropped and
	 * counted (reason {@code receive-queue-full}), so that the receive loop keeps
	 * reading.
	 */
	private static final int QUEUE = 256;

	/** Spring Integration's header with the sender's socket address. */
	private static final String PACKET_ADDRESS = org.springframework.integration.ip.IpHeaders.PACKET_ADDRESS;

	private final UdpServerSettings settings;

	private final ClientPayloads payloads;

	private final ApplicationEventPublisher publisher;

	private final IpcChannelMetrics metrics;

	private final DatagramLog oversized = new DatagramLog(logger);

	private final DatagramLog replyFailures = new DatagramLog(logger);

	private final DatagramLog queueFull = new DatagramLog(logger);

	private volatile @Nullable IpcMessageListener listener;

	private volatile @Nullable Running running;

	private volatile boolean stopped;

	private final AtomicInteger threadIds = new AtomicInteger();

	/** The kernel's drop count of the socket now bound. */
	private volatile KernelDrops kernelDrops = KernelDrops.UNKNOWN;

	/** What the kernel dropped for the sockets of earlier starts. */
	private volatile long earlierKernelDrops;

	/**
	 * Create a server; nothing is bound before {@link #start()}.
	 * @param settings the settings
	 * @param converter converts what the listener returns
	 * @param publisher where the events go
	 * @param metrics the application's metrics
	 */
	public UdpServer(UdpServerSettings settings, MessageConverter converter, ApplicationEventPublisher publisher,
			IpcMetrics metrics) {
		this.settings = settings;
		this.payloads = new ClientPayloads(settings.name(), converter);
		this.publisher = publisher;
		this.metrics = metrics.channel(settings.name(), "udp");
		this.metrics.connectionFailures("receive-buffer-full", this::kernelDrops);
	}

	/**
	 * The datagrams the kernel dropped for this server's sockets because the receive
	 * buffer was full (the {@code drops} column of {@code /proc/net/udp*}): they never
	 * reached the receive loop, which is behind (a burst faster than it reads, or a
	 * {@code receive-buffer-size} too small for the bursts).
	 * @return the count since the server was created, {@code 0} where it cannot be read
	 */
	public long kernelDrops() {
		return this.earlierKernelDrops + Math.max(0, this.kernelDrops.read());
	}

	@Override
	public String name() {
		return this.settings.name();
	}

	@Override
	public String kind() {
		return (this.settings.group() != null) ? "UDP multicast server" : "UDP server";
	}

	@Override
	public String property() {
		return this.settings.property();
	}

	@Override
	public void addListener(IpcMessageListener listener) {
		this.listener = ServerListeners.only(this, this.listener, listener);
	}

	@Override
	public Set<String> headers() {
		return Set.of(IpcHeaders.CHANNEL, SocketHeaders.REMOTE_ADDRESS);
	}

	@Override
	public Collection<IpcConnection> connections() {
		return List.of();
	}

	/**
	 * UDP has no connections to broadcast to.
	 * @param payload ignored
	 * @return 0
	 */
	@Override
	public int broadcast(Object payload) {
		return 0;
	}

	/**
	 * Bind the socket (joining the group of a multicast server) and start receiving.
	 * @throws IpcConfigurationException if the socket cannot be bound or the group not
	 * joined
	 */
	public synchronized void start() {
		if (this.running != null) {
			return;
		}
		ThreadPoolExecutor executor = new ThreadPoolExecutor(THREADS, THREADS, 0, TimeUnit.MILLISECONDS,
				new ArrayBlockingQueue<>(QUEUE), (task) -> {
					Thread thread = new Thread(task, "ipc-udp-" + name() + "-" + this.threadIds.incrementAndGet());
					thread.setDaemon(true);
					return thread;
				}, this::rejected);
		BeanFactory beanFactory = IntegrationSupport.beanFactory();
		UnicastReceivingChannelAdapter adapter;
		DatagramSocket opened = null;
		try {
			InetAddress group = this.settings.group();
			opened = (group != null) ? joinGroup(group) : bind();
			adapter = receiver(beanFactory, executor, opened);
			if (this.settings.sendBufferSize() > 0 && group == null) {
				// replies leave from this socket
				opened.setSendBufferSize(this.settings.sendBufferSize());
			}
		}
		catch (java.net.SocketException ex) {
			executor.shutdownNow();
			closeQuietly(opened);
			throw bindFailure(new MessagingException("failed to set SO_SNDBUF", ex));
		}
		catch (RuntimeException ex) {
			// the port (and a group's membership) is not held by a server that did not
			// start
			executor.shutdownNow();
			closeQuietly(opened);
			throw bindFailure(ex);
		}
		DatagramSocket socket = opened;
		this.kernelDrops = KernelDrops.of(socket);
		UnicastSendingMessageHandler replies = new UnicastSendingMessageHandler(
				new FunctionExpression<Message<?>>((message) -> message.getHeaders().get(PACKET_ADDRESS)));
		if (this.settings.group() == null) {
			// from the port the sender sent to, as it expects
			replies.setSocketExpression(new FunctionExpression<Message<?>>((message) -> socket));
		}
		// a multicast server's socket is bound to the group's address, which cannot be
		// the source of a datagram: its replies leave from a socket of the handler's own
		if (this.settings.sendBufferSize() > 0) {
			replies.setSoSendBufferSize(this.settings.sendBufferSize());
		}
		replies.setBeanFactory(beanFactory);
		replies.afterPropertiesSet();
		replies.start();
		adapter.start();
		this.running = new Running(adapter, replies, executor, socket);
		InetSocketAddress bound = (InetSocketAddress) socket.getLocalSocketAddress();
		String address = ((this.settings.group() != null) ? this.settings.group() : bound.getAddress()).getHostAddress()
				+ ":" + bound.getPort();
		if (this.listener == null) {
			logger.warn("UDP server '" + name() + "' has no @IpcListener: it receives datagrams but drops them");
		}
		logger.info("UDP server '" + name() + "' receives on " + address
				+ ((this.settings.group() != null) ? " (multicast group joined)" : ""));
		this.publisher.publishEvent(new SocketServerStartedEvent(this, address, bound.getPort()));
	}

	/**
	 * A datagram read while every worker is busy and the queue is full: dropped and
	 * counted, so that the receive loop goes on reading (the default policy threw, and
	 * Spring Integration's adapter then called the listener on the receive loop, which
	 * stopped reading until the listener returned: the kernel dropped what followed
	 * without anyone counting it). Once the executor is shut down (the server stops) it
	 * still throws, and the adapter delivers the datagram on the receive loop as before.
	 */
	private void rejected(Runnable task, ThreadPoolExecutor executor) {
		if (executor.isShutdown()) {
			throw new RejectedExecutionException("UDP server '" + name() + "' is stopping");
		}
		this.metrics.connectionFailed("receive-queue-full");
		this.queueFull.warn("UDP server '" + name() + "' dropped a datagram: its receive queue is full (" + QUEUE
				+ " datagrams wait for " + (THREADS - 1) + " busy listener threads)");
	}

	private UnicastReceivingChannelAdapter receiver(BeanFactory beanFactory, ThreadPoolExecutor executor,
			DatagramSocket socket) {
		InetAddress group = this.settings.group();
		// our socket, not one the adapter makes: a socket it made itself is forgotten on
		// stop, and a receive loop that only starts after a quick stop would make and
		// block on a new one; a multicast socket is bound to the group's address, not to
		// every address of the host as the adapter would: only datagrams sent to the
		// group arrive
		UnicastReceivingChannelAdapter adapter = (group == null)
				? new UnicastReceivingChannelAdapter(this.settings.bind().getPort())
				: new MulticastReceivingChannelAdapter(group.getHostAddress(), this.settings.bind().getPort());
		adapter.setSocket(socket);
		// one byte more than allowed, so that a longer datagram shows as one (the kernel
		// truncates it to the buffer) and is dropped instead of delivered cut
		adapter.setReceiveBufferSize(this.settings.maxMessageSize() + 1);
		if (this.settings.receiveBufferSize() > 0) {
			adapter.setSoReceiveBufferSize(this.settings.receiveBufferSize());
		}
		adapter.setLookupHost(false);
		adapter.setTaskExecutor(executor);
		adapter.setOutputChannel(new Delivery());
		adapter.setApplicationEventPublisher(this.publisher);
		adapter.setBeanFactory(beanFactory);
		adapter.setBeanName("ipc-udp-" + name());
		adapter.afterPropertiesSet();
		return adapter;
	}

	private DatagramSocket bind() {
		DatagramSocket socket = null;
		try {
			socket = new DatagramSocket(null);
			if (this.settings.receiveBufferSize() > 0) {
				socket.setReceiveBufferSize(this.settings.receiveBufferSize());
			}
			socket.bind(this.settings.bind());
			return socket;
		}
		catch (IOException ex) {
			if (socket != null) {
				socket.close();
			}
			throw new MessagingException("failed to bind " + this.settings.bind(), ex);
		}
	}

	private MulticastSocket joinGroup(InetAddress group) {
		MulticastSocket socket = null;
		try {
			socket = new MulticastSocket(null);
			socket.setReuseAddress(true);
			socket.bind(this.settings.bind());
			if (this.settings.networkInterface() != null) {
				socket.setNetworkInterface(this.settings.networkInterface());
			}
			if (this.settings.receiveBufferSize() > 0) {
				// the adapter applies it only to sockets it makes itself
				socket.setReceiveBufferSize(this.settings.receiveBufferSize());
			}
			socket.joinGroup(new InetSocketAddress(group, 0), this.settings.networkInterface());
			return socket;
		}
		catch (IOException ex) {
			if (socket != null) {
				socket.close();
			}
			throw new MessagingException("failed to join multicast group " + group.getHostAddress(), ex);
		}
	}

	private IpcConfigurationException bindFailure(RuntimeException ex) {
		Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
		boolean multicast = this.settings.group() != null;
		IpcConfigurationException failure = new IpcConfigurationException(
				property() + (multicast ? ".multicast-group" : ".port"),
				"UDP server '" + name() + "' cannot receive on " + this.settings.bind().getAddress().getHostAddress()
						+ ":" + this.settings.bind().getPort() + (multicast ? " (joining the group)" : "") + ": "
						+ cause.getMessage(),
				multicast
						? "Check multicast-interface (an interface with multicast and a route for the group) and"
								+ " that port is free."
						: "Choose a free port (0 picks one) and an address of this host.");
		failure.initCause(ex);
		return failure;
	}

	/**
	 * Stop receiving, close the socket, and wait at most {@code timeoutMillis} for the
	 * listener calls in progress. Their replies are dropped: the socket they would leave
	 * from is closed (a UDP sender must expect a lost reply anyway).
	 * @param timeoutMillis how long to wait for the workers
	 */
	public synchronized void stop(long timeoutMillis) {
		Running current = this.running;
		if (current == null) {
			return;
		}
		this.running = null;
		this.stopped = true;
		// read while the socket is open: stopping the adapter closes it, and its row
		// in /proc/net/udp* goes with it
		this.earlierKernelDrops = kernelDrops();
		this.kernelDrops = KernelDrops.UNKNOWN;
		current.executor().shutdown();
		try {
			// the receive loop ends when its socket closes (nothing else wakes it);
			// datagrams already queued are still handed to the listener
			current.adapter().stop();
			if (!current.executor().awaitTermination(Math.max(1, timeoutMillis), TimeUnit.MILLISECONDS)) {
				logger.warn("UDP server '" + name() + "' stopped before its listener calls ended");
				current.executor().shutdownNow();
			}
		}
		catch (InterruptedException ex) {
			current.executor().shutdownNow();
			Thread.currentThread().interrupt();
		}
		finally {
			current.replies().stop();
			current.socket().close();
		}
		this.publisher.publishEvent(new SocketServerStoppedEvent(this));
	}

	/**
	 * Whether the server receives.
	 * @return whether it was started and not stopped
	 */
	public boolean isRunning() {
		return this.running != null;
	}

	/**
	 * The port the server receives on, once started.
	 * @return the port, or -1 when not running
	 */
	public int port() {
		Running current = this.running;
		return (current != null) ? current.socket().getLocalPort() : -1;
	}

	@Override
	public IpcResourceState state() {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("transport", "udp");
		details.put("address", this.settings.bind().getAddress().getHostAddress());
		details.put("port", isRunning() ? port() : this.settings.bind().getPort());
		if (this.settings.group() != null) {
			details.put("multicast-group", this.settings.group().getHostAddress());
		}
		long drops = this.kernelDrops.read();
		if (drops >= 0 || this.earlierKernelDrops > 0) {
			// datagrams lost before the receive loop could read them
			details.put("kernel-drops", this.earlierKernelDrops + Math.max(0, drops));
		}
		if (isRunning()) {
			return IpcResourceState.up(details);
		}
		return this.stopped ? IpcResourceState.down("stopped", details) : IpcResourceState.unknown("not started");
	}

	UdpServerSettings settings() {
		return this.settings;
	}

	private static String describe(@Nullable Object address) {
		if (address instanceof InetSocketAddress inet) {
			return inet.getAddress().getHostAddress() + ":" + inet.getPort();
		}
		return String.valueOf(address);
	}

	@Override
	public String toString() {
		return "UdpServer[" + name() + " at " + this.settings.bind() + "]";
	}

	private record Running(UnicastReceivingChannelAdapter adapter, UnicastSendingMessageHandler replies,
			ThreadPoolExecutor executor, DatagramSocket socket) {
	}

	/**
	 * Where the receiving adapter sends each datagram: checks its size and calls the
	 * listener with the sender as the reply target.
	 */
	private final class Delivery implements MessageChannel {

		@Override
		public boolean send(Message<?> message, long timeout) {
			Object sender = message.getHeaders().get(PACKET_ADDRESS);
			String peer = describe(sender);
			byte[] payload = (byte[]) message.getPayload();
			if (payload.length > UdpServer.this.settings.maxMessageSize()) {
				UdpServer.this.metrics.connectionFailed("oversized-datagram");
				UdpServer.this.oversized.warn("UDP server '" + name() + "' dropped a datagram from " + peer
						+ ": longer than max-message-size (" + UdpServer.this.settings.maxMessageSize() + " bytes)");
				return true;
			}
			UdpServer.this.metrics.messageReceived(payload.length);
			IpcMessageListener current = UdpServer.this.listener;
			if (current == null || !(sender instanceof InetSocketAddress address)) {
				return true;
			}
			Map<String, Object> headers = new LinkedHashMap<>();
			headers.put(IpcHeaders.CHANNEL, name());
			headers.put(SocketHeaders.REMOTE_ADDRESS, peer);
			headers.put(org.springframework.integration.ip.IpHeaders.IP_ADDRESS, address.getAddress().getHostAddress());
			headers.put(org.springframework.integration.ip.IpHeaders.PORT, address.getPort());
			current.onMessage(new GenericMessage<>(payload, new MessageHeaders(headers)),
					new DatagramReply(address, peer));
			return true;
		}

	}

	/** The sender of one datagram, to which the listener's reply goes. */
	private final class DatagramReply implements IpcReplyTarget {

		private final InetSocketAddress sender;

		private final String peer;

		DatagramReply(InetSocketAddress sender, String peer) {
			this.sender = sender;
			this.peer = peer;
		}

		@Override
		public void reply(byte[] payload) {
			Running current = UdpServer.this.running;
			if (payload.length > UdpServer.this.settings.maxMessageSize()) {
				UdpServer.this.replyFailures.warn("UDP server '" + name() + "' did not send a reply of "
						+ payload.length + " bytes to " + this.peer + ": longer than max-message-size ("
						+ UdpServer.this.settings.maxMessageSize() + " bytes)");
				return;
			}
			if (current == null || current.socket().isClosed()) {
				return;
			}
			try {
				current.replies().handleMessage(new GenericMessage<>(payload, Map.of(PACKET_ADDRESS, this.sender)));
				UdpServer.this.metrics.messageSent(payload.length);
			}
			catch (MessagingException ex) {
				Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
				UdpServer.this.replyFailures.warn("UDP server '" + name() + "' could not send a reply to " + this.peer
						+ ": " + cause.getMessage());
			}
		}

		@Override
		public void fail(Throwable error) {
			// the adapter logged it; UDP has no connection to close, the sender times out
		}

		@Override
		public String describePeer() {
			return this.peer;
		}

	}

	private static void closeQuietly(@Nullable DatagramSocket socket) {
		if (socket != null) {
			socket.close();
		}
	}

}
