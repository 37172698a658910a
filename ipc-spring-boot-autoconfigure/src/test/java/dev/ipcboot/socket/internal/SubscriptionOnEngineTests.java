package dev.ipcboot.socket.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.messaging.Message;
import org.springframework.messaging.converter.ByteArrayMessageConverter;

import dev.ipcboot.internal.IpcMetrics;
import dev.ipcboot.listener.IpcMessageListener;
import dev.ipcboot.listener.IpcReplyTarget;
import dev.ipcboot.socket.ClientEndpoint;
import dev.ipcboot.socket.Framing;
import dev.ipcboot.socket.IpcClientSettings;
import dev.ipcboot.socket.IpcConnection;
import dev.ipcboot.socket.SocketTransport;
import dev.ipcboot.testsupport.OurThreads;
import dev.ipcboot.testsupport.TcpPorts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Subscribing clients run on the application's {@link SocketEngine}: many of them hold no
 * thread each, and a subscription whose listener lags stops reading (at most
 * {@value ServerConnection#MAX_QUEUED} pushes and the rest of one read wait in memory)
 * instead of buffering what the server pushes without limit.
 */
class SubscriptionOnEngineTests {

	private static final int CLIENTS = 50;

	private static final int WORKERS = 4;

	@TempDir
	Path dir;

	@ParameterizedTest
	@ValueSource(strings = { "path", "abstract", "tcp" })
	void subscribingClientOfEachAddressKindReceivesPushesOnTheEngineAndLeavesNoThread(String kind) throws Exception {
		String abstractName = "ipcboot-subscribe-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
		IntFunction<ApplicationContextRunner> runner = (port) -> Servers.runner()
			.withBean(EchoListener.class)
			.withBean(SocketDuplexTests.Feed.class)
			.withPropertyValues("ipc.servers.echo.framing=line", "ipc.clients.feed.framing=line",
					"ipc.clients.feed.subscribe=true")
			.withPropertyValues(switch (kind) {
				case "path" -> new String[] { "ipc.servers.echo.path=" + this.dir.resolve("echo.sock"),
						"ipc.clients.feed.path=" + this.dir.resolve("echo.sock") };
				case "abstract" ->
					new String[] { "ipc.servers.echo.name=" + abstractName, "ipc.servers.echo.abstract=true",
							"ipc.clients.feed.name=" + abstractName, "ipc.clients.feed.abstract=true" };
				default -> new String[] { "ipc.servers.echo.transport=tcp", "ipc.servers.echo.port=" + port,
						"ipc.clients.feed.transport=tcp", "ipc.clients.feed.port=" + port };
			});
		// over TCP the client in the server's context needs its port before it starts
		TcpPorts.runOnFreePort(runner, (context) -> {
			SocketIpcClient client = context.getBean("ipc.clients.feed", SocketIpcClient.class);
			SocketServer server = context.getBean(SocketServers.class).get("echo");
			assertThat(client.subscription()).isInstanceOf(EngineClientSubscription.class);
			await().atMost(Duration.ofSeconds(10))
				.until(() -> client.isSubscribed() && server.connections().size() == 1);
			assertThat(server.broadcast("pushed")).isEqualTo(1);
			SocketDuplexTests.Feed feed = context.getBean(SocketDuplexTests.Feed.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> feed.received.contains("pushed"));
			assertThat(OurThreads.alive("ipc-")).noneMatch((name) -> name.endsWith("-subscription"));
			assertThat(client.request("ping", String.class)).isEqualTo("echo:ping");
		});
		await().atMost(Duration.ofSeconds(10)).until(() -> OurThreads.alive("ipc-").isEmpty());
	}

	@Test
	void fiftySubscribedClientsInOneContextHoldNoThreadPerClient() {
		Servers.echo(SocketTransport.LOCAL, Framing.LINE, this.dir)
			.withPropertyValues("ipc.socket.worker-threads=" + WORKERS)
			.run((context) -> {
				SocketEngine engine = context.getBean(SocketEngine.class);
				SocketServer server = context.getBean(SocketServers.class).get("echo");
				int before = OurThreads.alive("ipc-").size();
				List<SocketIpcClient> clients = new ArrayList<>();
				List<List<String>> received = new ArrayList<>();
				try {
					for (int i = 0; i < CLIENTS; i++) {
						List<String> pushes = new CopyOnWriteArrayList<>();
						received.add(pushes);
						SocketIpcClient client = client(engine, "feed" + i, server.address());
						clients.add(client);
						client.addListener(new Recorder(pushes, null));
						assertThat(client.subscription()).isInstanceOf(EngineClientSubscription.class);
					}
					await().atMost(Duration.ofSeconds(20))
						.until(() -> server.connections().size() == CLIENTS
								&& clients.stream().allMatch(SocketIpcClient::isSubscribed));
					List<String> connected = OurThreads.alive("ipc-");
					assertThat(connected).noneMatch((name) -> name.endsWith("-subscription"));
					// at most the engine's second event loop started; nothing per client
					assertThat(connected.size() - before).isLessThanOrEqualTo(2);

					// each push is answered ("ack"), the server echoes the answer back
					assertThat(server.broadcast("hello")).isEqualTo(CLIENTS);
					await().atMost(Duration.ofSeconds(20))
						.until(() -> received.stream().allMatch((pushes) -> pushes.size() == 2));
					assertThat(received)
						.allSatisfy((pushes) -> assertThat(pushes).containsExactly("hello", "echo:ack"));
					List<String> delivered = OurThreads.alive("ipc-");
					System.out.println("threads of ours: before " + before + ", " + CLIENTS + " subscribed "
							+ connected.size() + ", after delivering " + delivered.size() + " " + delivered);
					// the event loops and the bounded worker pool, whatever the number of
					// clients
					assertThat(delivered.size() - before).isLessThanOrEqualTo(2 + WORKERS);
				}
				finally {
					clients.forEach(SocketIpcClient::close);
				}
				await().atMost(Duration.ofSeconds(10)).until(() -> server.connections().isEmpty());
			});
		await().atMost(Duration.ofSeconds(10)).until(() -> OurThreads.alive("ipc-").isEmpty());
	}

	@Test
	void subscriptionWhoseServerPushesFasterThanTheListenerConsumesStopsReading() throws Exception {
		int messages = 5000;
		String filler = "x".repeat(1000);
		Servers.echo(SocketTransport.LOCAL, Framing.LINE, this.dir)
			.withPropertyValues("ipc.servers.echo.write-timeout=60s")
			.run((context) -> {
				SocketEngine engine = context.getBean(SocketEngine.class);
				SocketServer server = context.getBean(SocketServers.class).get("echo");
				List<String> received = new CopyOnWriteArrayList<>();
				CountDownLatch release = new CountDownLatch(1);
				SocketIpcClient client = client(engine, "slow", server.address());
				try {
					client.addListener(new Recorder(received, release));
					EngineClientSubscription subscription = (EngineClientSubscription) client.subscription();
					await().atMost(Duration.ofSeconds(10))
						.until(() -> client.isSubscribed() && server.connections().size() == 1);
					IpcConnection connection = server.connections().iterator().next();
					AtomicInteger sent = new AtomicInteger();
					AtomicReference<Throwable> failure = new AtomicReference<>();
					Thread pusher = new Thread(() -> {
						try {
							for (int i = 0; i < messages; i++) {
								connection.send(i + ":" + filler);
								sent.incrementAndGet();
							}
						}
						catch (RuntimeException ex) {
							failure.set(ex);
						}
					}, "test-pusher");
					pusher.setDaemon(true);
					pusher.start();
					// the listener holds the first push; the subscription stops reading
					// once
					// MAX_QUEUED pushes wait, and the server's sender then waits for room
					await().atMost(Duration.ofSeconds(20))
						.until(() -> !subscription.isReading() && pusher.getState() == Thread.State.TIMED_WAITING);
					// MAX_QUEUED, plus the rest of the read that filled the queue (at
					// most
					// 64 KiB: 65 pushes of 1 KB)
					int queued = subscription.queuedPushes();
					System.out.println("pushes held by the lagging subscription: " + queued + ", sent " + sent.get()
							+ " of " + messages);
					assertThat(queued).isLessThanOrEqualTo(ServerConnection.MAX_QUEUED + 65);
					assertThat(received).hasSize(1);
					assertThat(sent.get()).isLessThan(messages);
					assertThat(failure.get()).isNull();

					release.countDown();
					await().atMost(Duration.ofSeconds(30)).until(() -> received.size() == messages);
					pusher.join(TimeUnit.SECONDS.toMillis(10));
					assertThat(failure.get()).isNull();
					for (int i = 0; i < messages; i++) {
						assertThat(received.get(i)).startsWith(i + ":");
					}
					assertThat(subscription.isReading()).isTrue();
				}
				finally {
					release.countDown();
					client.close();
				}
			});
		await().atMost(Duration.ofSeconds(10)).until(() -> OurThreads.alive("ipc-").isEmpty());
	}

	@Test
	void pausedSubscriptionReadsNothingUntilResumedAndStaysPausedAcrossAReconnect() {
		Servers.echo(SocketTransport.LOCAL, Framing.LINE, this.dir).run((context) -> {
			SocketEngine engine = context.getBean(SocketEngine.class);
			SocketServer server = context.getBean(SocketServers.class).get("echo");
			List<String> received = new CopyOnWriteArrayList<>();
			SocketIpcClient client = client(engine, "paused", server.address());
			try {
				client.addListener(new Recorder(received, null));
				ClientSubscription subscription = client.subscription();
				EngineClientSubscription engineSubscription = (EngineClientSubscription) subscription;
				await().atMost(Duration.ofSeconds(10)).until(client::isSubscribed);
				assertThat(subscription.pause()).isTrue();
				assertThat(engineSubscription.isReading()).isFalse();
				server.stop();
				server.start();
				await().atMost(Duration.ofSeconds(10))
					.until(() -> client.isSubscribed() && server.connections().size() == 1);
				assertThat(engineSubscription.isReading()).isFalse();
				assertThat(server.broadcast("held")).isEqualTo(1);
				assertThat(received).isEmpty();
				subscription.resume();
				await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("held"));
			}
			finally {
				client.close();
			}
		});
		await().atMost(Duration.ofSeconds(10)).until(() -> OurThreads.alive("ipc-").isEmpty());
	}

	@Test
	void pushOverTheClientsMaxMessageSizeIsDroppedWithTheConnectionAndTheSubscriptionComesBack() {
		Servers.echo(SocketTransport.LOCAL, Framing.LINE, this.dir).run((context) -> {
			SocketEngine engine = context.getBean(SocketEngine.class);
			SocketServer server = context.getBean(SocketServers.class).get("echo");
			List<String> received = new CopyOnWriteArrayList<>();
			SocketIpcClient client = client(engine, "small", server.address(), 16);
			try {
				client.addListener(new Recorder(received, null));
				await().atMost(Duration.ofSeconds(10))
					.until(() -> client.isSubscribed() && server.connections().size() == 1);
				IpcConnection first = server.connections().iterator().next();
				assertThat(server.broadcast("x".repeat(1000))).isEqualTo(1);
				// the client closes that connection (one WARN) and connects again
				await().atMost(Duration.ofSeconds(10))
					.until(() -> !first.isOpen() && client.isSubscribed() && server.connections().size() == 1);
				assertThat(server.broadcast("small again")).isEqualTo(1);
				await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("small again"));
				assertThat(received).containsExactly("small again");
			}
			finally {
				client.close();
			}
		});
		await().atMost(Duration.ofSeconds(10)).until(() -> OurThreads.alive("ipc-").isEmpty());
	}

	private static SocketIpcClient client(SocketEngine engine, String name, String socketPath) {
		return client(engine, name, socketPath, 64 * 1024);
	}

	private static SocketIpcClient client(SocketEngine engine, String name, String socketPath, int maxMessageSize) {
		IpcClientSettings settings = new IpcClientSettings(name, ClientEndpoint.local(Path.of(socketPath)),
				Framing.LINE, maxMessageSize, Duration.ofSeconds(5), Duration.ofSeconds(10), 1,
				new IpcClientSettings.Subscription(Duration.ofMillis(50), Duration.ofSeconds(1)));
		return new SocketIpcClient(settings, new ByteArrayMessageConverter(), (event) -> {
		}, IpcMetrics.NONE, engine);
	}

	/** Records each push; answers {@code hello} with {@code ack}; may hold the first. */
	private record Recorder(List<String> received, CountDownLatch release) implements IpcMessageListener {

		@Override
		public String describe() {
			return "recorder";
		}

		@Override
		public void onMessage(Message<?> message, IpcReplyTarget replyTarget) {
			String text = new String((byte[]) message.getPayload(), StandardCharsets.UTF_8);
			this.received.add(text);
			if (this.release != null) {
				try {
					this.release.await(60, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			if (text.equals("hello")) {
				replyTarget.reply("ack".getBytes(StandardCharsets.UTF_8));
			}
		}

	}

}
