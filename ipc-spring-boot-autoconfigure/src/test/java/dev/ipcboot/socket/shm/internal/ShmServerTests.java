package dev.ipcboot.socket.shm.internal;

import dev.ipcboot.socket.shm.ShmClientSettings;
import dev.ipcboot.socket.shm.ShmServerSettings;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationEvent;
import org.springframework.messaging.Message;
import org.springframework.messaging.converter.ByteArrayMessageConverter;

import dev.ipcboot.internal.IpcMetrics;
import dev.ipcboot.listener.IpcHeaders;
import dev.ipcboot.listener.IpcMessageListener;
import dev.ipcboot.listener.IpcReplyTarget;
import dev.ipcboot.socket.IpcClientException;
import dev.ipcboot.socket.IpcClientTimeoutException;
import dev.ipcboot.socket.SocketConnectionClosedEvent;
import dev.ipcboot.socket.SocketConnectionFailedEvent;
import dev.ipcboot.socket.SocketConnectionOpenedEvent;
import dev.ipcboot.socket.SocketHeaders;
import dev.ipcboot.socket.SocketServerStartedEvent;
import dev.ipcboot.socket.SocketServerStoppedEvent;
import dev.ipcboot.testsupport.LogLines;
import dev.ipcboot.testsupport.OurThreads;
import dev.ipcboot.testsupport.Tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@code transport: shm} without Spring: a server, the Java client, the Python reference
 * client, a peer killed mid-message, another JVM, and nothing left after stop.
 */
class ShmServerTests {

	@TempDir
	Path dir;

	private final List<ApplicationEvent> events = new CopyOnWriteArrayList<>();

	private final List<Message<?>> received = new CopyOnWriteArrayList<>();

	private ShmServer server;

	private ShmIpcClient client;

	private long fdsBefore;

	@BeforeEach
	void start() throws IOException {
		this.fdsBefore = ourSharedMemoryDescriptors();
		this.server = server(64 * 1024);
		this.server.start();
		this.client = client(this.server);
	}

	@AfterEach
	void stop() {
		this.client.close();
		this.server.stop(5000);
	}

	private ShmServer server(int ringCapacity) {
		ShmServer server = new ShmServer(
				new ShmServerSettings("orders", this.dir.resolve("orders.sock"), ringCapacity, 0, 4 * 1024 * 1024, 16,
						Set.of(), Duration.ofSeconds(5)),
				new ByteArrayMessageConverter(), (event) -> this.events.add((ApplicationEvent) event), IpcMetrics.NONE);
		server.addListener(new Echo());
		return server;
	}

	private ShmIpcClient client(ShmServer server) {
		return new ShmIpcClient(new ShmClientSettings("orders", server.settings().path(), 0, Duration.ofSeconds(5),
				Duration.ofSeconds(10), 4), new ByteArrayMessageConverter(), Runnable::run);
	}

	@Test
	void requestIsAnsweredWithThePeersCredentialsAndTheSocketEvents() throws IOException {
		assertThat(this.client.request("tea", String.class)).isEqualTo("TEA");
		assertThat(this.client.request("milk", String.class)).isEqualTo("MILK");
		assertThat(this.received).hasSize(2);
		assertThat(this.received.get(0).getHeaders()).containsEntry(IpcHeaders.CHANNEL, "orders")
			.containsEntry(SocketHeaders.PEER_PID, (int) ProcessHandle.current().pid())
			.containsKeys(SocketHeaders.PEER_UID, SocketHeaders.PEER_GID, SocketHeaders.CONNECTION_ID);
		assertThat(this.events).hasAtLeastOneElementOfType(SocketServerStartedEvent.class)
			.hasAtLeastOneElementOfType(SocketConnectionOpenedEvent.class);
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(this.server.settings().path())))
			.isEqualTo("rw-------");
	}

	@Test
	void messagesLongerThanARingRecordArriveWhole() {
		byte[] big = new byte[700_000];
		for (int i = 0; i < big.length; i++) {
			big[i] = (byte) ('a' + i % 26);
		}
		byte[] reply = this.client.request(big);
		assertThat(reply).hasSize(big.length);
		assertThat(new String(reply, 0, 26, StandardCharsets.US_ASCII)).isEqualTo("ABCDEFGHIJKLMNOPQRSTUVWXYZ");
	}

	@Test
	void aRequestOverTheServersMaxMessageSizeFailsWithoutLosingTheConnection() {
		assertThatExceptionOfType(IpcClientException.class).isThrownBy(() -> this.client.request(new byte[5 << 20]))
			.withMessageContaining("over the limit of " + (4 << 20));
		assertThat(this.client.request("fine", String.class)).isEqualTo("FINE");
		assertThat(this.received).hasSize(1);
	}

	@Test
	void manyThreadsGetTheirOwnReplies() throws Exception {
		List<Thread> threads = new java.util.ArrayList<>();
		List<String> wrong = new CopyOnWriteArrayList<>();
		for (int t = 0; t < 8; t++) {
			int n = t;
			Thread thread = new Thread(() -> {
				for (int i = 0; i < 200; i++) {
					String reply = this.client.request("c" + n + "r" + i, String.class);
					if (!reply.equals(("c" + n + "r" + i).toUpperCase())) {
						wrong.add(reply);
					}
				}
			});
			thread.start();
			threads.add(thread);
		}
		for (Thread thread : threads) {
			thread.join(30_000);
		}
		assertThat(wrong).isEmpty();
		assertThat(this.received).hasSize(1600);
	}

	@Test
	void thePythonReferenceClientIsAnswered() throws Exception {
		Process python = python("request", "hello", "@x*300000", "world", "@x*70001");
		assertThat(python.waitFor(30, TimeUnit.SECONDS)).isTrue();
		String out = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(python.exitValue()).as(out + new String(python.getErrorStream().readAllBytes())).isZero();
		assertThat(out.lines()).containsExactly("HELLO", "300000 bytes, all X: True", "WORLD",
				"70001 bytes, all X: True");
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.events.stream().anyMatch(SocketConnectionClosedEvent.class::isInstance));
	}

	@Test
	void aPeerKilledMidMessageDeliversNothingOfItAndItsConnectionIsReleased() throws Exception {
		Process python = python("die-mid-message");
		try (BufferedReader out = new BufferedReader(new InputStreamReader(python.getInputStream()))) {
			assertThat(out.readLine()).as("the Python peer's first line").isEqualTo("ready");
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> this.server.connections().size() == 1);
		python.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.server.connections().isEmpty());
		assertThat(this.events).hasAtLeastOneElementOfType(SocketConnectionClosedEvent.class);
		assertThat(this.received).isEmpty();
		// the next client gets fresh rings
		assertThat(this.client.request("after", String.class)).isEqualTo("AFTER");
	}

	@Test
	void aRecordOfAnUnknownTypeClosesOnlyThatConnectionWithAFailedEvent() throws Exception {
		Process python = python("bad-record");
		assertThat(python.waitFor(30, TimeUnit.SECONDS)).isTrue();
		assertThat(new String(python.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
			.contains("ConnectionError");
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.events).filteredOn(SocketConnectionFailedEvent.class::isInstance)
				.singleElement()
				.satisfies((event) -> assertThat(((SocketConnectionFailedEvent) event).reason())
					.isEqualTo("corrupt-frame")));
		assertThat(this.received).isEmpty();
		assertThat(this.client.request("still served", String.class)).isEqualTo("STILL SERVED");
	}

	@Test
	void aMessageOverMaxMessageSizeInFragmentsClosesTheConnectionWithoutDeliveringIt() throws Exception {
		Process python = python("oversized");
		assertThat(python.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(python.exitValue()).isNotZero();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.events.stream().anyMatch(SocketConnectionFailedEvent.class::isInstance));
		assertThat(this.received).isEmpty();
		assertThat(this.client.request("next", String.class)).isEqualTo("NEXT");
	}

	@Test
	void anotherUserCannotConnectToTheSocketFile() throws Exception {
		Files.setPosixFilePermissions(this.dir, PosixFilePermissions.fromString("rwxr-xr-x"));
		Path script = this.dir.resolve("ipc_shm_client.py");
		try (InputStream in = getClass().getResourceAsStream("/shm/ipc_shm_client.py")) {
			Files.copy(in, script);
		}
		Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rw-r--r--"));
		Process nobody = new ProcessBuilder(Tools.require("setpriv", "util-linux").toString(), "--reuid", "65534",
				"--regid", "65534", "--clear-groups", Tools.PYTHON, script.toString(), "request",
				this.server.settings().path().toString(), "hello")
			.start();
		assertThat(nobody.waitFor(30, TimeUnit.SECONDS)).isTrue();
		assertThat(new String(nobody.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
			.contains("PermissionError");
		assertThat(nobody.exitValue()).isNotZero();
		assertThat(this.events).noneMatch(SocketConnectionOpenedEvent.class::isInstance);
		assertThat(this.received).isEmpty();
	}

	@Test
	@Timeout(60)
	@ExtendWith(OutputCaptureExtension.class)
	void aPeerReconnectingInALoopBeyondMaxConnectionsIsRefusedEachTimeWithOneWarnLine(CapturedOutput output)
			throws Exception {
		ShmServer full = new ShmServer(
				new ShmServerSettings("refusal-loop", this.dir.resolve("refusal-loop.sock"), 64 * 1024, 0, 1 << 20, 0,
						Set.of(), Duration.ofSeconds(10)),
				new ByteArrayMessageConverter(), (event) -> this.events.add((ApplicationEvent) event), IpcMetrics.NONE);
		full.addListener(new Echo());
		full.start();
		try {
			for (int i = 0; i < 30; i++) {
				try (SocketChannel peer = SocketChannel.open(UnixDomainSocketAddress.of(full.settings().path()))) {
					// a refused connection is closed at once: end of stream, no handshake
					assertThat(peer.read(ByteBuffer.allocate(64))).isEqualTo(-1);
				}
			}
			// 30 refusals, one WARN line: the rest are counted into the next line (only
			// the
			// lines of this server: the output capture takes the whole JVM's)
			assertThat(LogLines.of(output).mentioning("Shared-memory server 'refusal-loop'", "refused a connection"))
				.singleElement(InstanceOfAssertFactories.STRING)
				.contains("max-connections");
			assertThat(full.connections()).isEmpty();
			assertThat(this.events).noneMatch(SocketConnectionOpenedEvent.class::isInstance);
		}
		finally {
			full.stop(5000);
		}
	}

	@Test
	void aPeerThatReadsNothingIsClosedAfterTheWriteTimeoutAndBroadcastSkipsIt() throws Exception {
		ShmServer impatient = new ShmServer(
				new ShmServerSettings("feed", this.dir.resolve("feed.sock"), 64 * 1024, 0, 1 << 20, 4, Set.of(),
						Duration.ofMillis(300)),
				new ByteArrayMessageConverter(), (event) -> this.events.add((ApplicationEvent) event), IpcMetrics.NONE);
		impatient.addListener(new Echo());
		impatient.start();
		Process python = null;
		try {
			python = new ProcessBuilder(Tools.PYTHON, script().toString(), "never-read",
					impatient.settings().path().toString())
				.start();
			try (BufferedReader out = new BufferedReader(new InputStreamReader(python.getInputStream()))) {
				assertThat(out.readLine()).isEqualTo("ready");
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> impatient.connections().size() == 1);
			byte[] update = new byte[60_000];
			int reached = 1;
			for (int i = 0; i < 20 && reached > 0; i++) {
				reached = impatient.broadcast(update);
			}
			assertThat(reached).isZero();
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(this.events).filteredOn(SocketConnectionFailedEvent.class::isInstance)
					.extracting((event) -> ((SocketConnectionFailedEvent) event).reason())
					.contains("write-timeout"));
			await().atMost(Duration.ofSeconds(10)).until(() -> impatient.connections().isEmpty());
		}
		finally {
			if (python != null) {
				python.destroyForcibly();
			}
			impatient.stop(5000);
		}
	}

	@Test
	void stoppingAnswersTheCallInProgressAndReadsNothingMore() throws Exception {
		java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
		java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
		ShmServer slow = new ShmServer(
				new ShmServerSettings("slow", this.dir.resolve("slow.sock"), 64 * 1024, 0, 1 << 20, 4, Set.of(),
						Duration.ofSeconds(5)),
				new ByteArrayMessageConverter(), (event) -> this.events.add((ApplicationEvent) event), IpcMetrics.NONE);
		slow.addListener(new IpcMessageListener() {

			@Override
			public String describe() {
				return "slow";
			}

			@Override
			public void onMessage(Message<?> message, IpcReplyTarget replyTarget) {
				entered.countDown();
				try {
					release.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				replyTarget.reply("answered".getBytes(StandardCharsets.UTF_8));
			}

		});
		slow.start();
		try (ShmIpcClient slowClient = client(slow)) {
			CompletableFuture<String> reply = CompletableFuture
				.supplyAsync(() -> slowClient.request("in progress", String.class));
			assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
			CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> slow.stop(10_000));
			await().atMost(Duration.ofSeconds(10)).until(() -> !slow.isRunning());
			release.countDown();
			assertThat(reply.get(30, TimeUnit.SECONDS)).isEqualTo("answered");
			stopped.get(30, TimeUnit.SECONDS);
			assertThat(slow.connections()).isEmpty();
		}
	}

	@Test
	void aSubscriptionConnectsAgainAfterTheServerRestartsAndGetsTheNewPushes() {
		List<String> pushes = new CopyOnWriteArrayList<>();
		ShmIpcClient subscriber = new ShmIpcClient(
				new ShmClientSettings("feed", this.server.settings().path(), 0, Duration.ofSeconds(5),
						Duration.ofSeconds(10), 1, true, Duration.ofMillis(20), Duration.ofMillis(200)),
				new ByteArrayMessageConverter(), Runnable::run);
		subscriber.addListener(new IpcMessageListener() {

			@Override
			public String describe() {
				return "feed";
			}

			@Override
			public void onMessage(Message<?> message, IpcReplyTarget replyTarget) {
				pushes.add(new String((byte[]) message.getPayload(), StandardCharsets.UTF_8));
			}

		});
		ShmServer restarted = server(64 * 1024);
		try {
			await().atMost(Duration.ofSeconds(10)).until(subscriber::isSubscribed);
			assertThat(this.server.broadcast("before")).isEqualTo(1);
			await().atMost(Duration.ofSeconds(10)).until(() -> pushes.contains("before"));
			this.server.stop(5000);
			restarted.start();
			await().atMost(Duration.ofSeconds(10)).until(() -> restarted.connections().size() == 1);
			assertThat(restarted.broadcast("after")).isEqualTo(1);
			await().atMost(Duration.ofSeconds(10)).until(() -> pushes.contains("after"));
			assertThat(pushes).containsExactly("before", "after");
		}
		finally {
			subscriber.close();
			restarted.stop(5000);
		}
		assertThat(OurThreads.alive("ipc-client-feed")).isEmpty();
	}

	@Test
	void aClientInAnotherJvmIsAnswered() throws Exception {
		Process java = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
				System.getProperty("java.class.path"), ShmClientMain.class.getName(),
				this.server.settings().path().toString(), "from-another-jvm")
			.redirectErrorStream(true)
			.start();
		assertThat(java.waitFor(60, TimeUnit.SECONDS)).isTrue();
		String out = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(java.exitValue()).as(out).isZero();
		assertThat(out).contains("FROM-ANOTHER-JVM");
		assertThat(this.received).singleElement()
			.satisfies((message) -> assertThat(message.getHeaders().get(SocketHeaders.PEER_PID))
				.isEqualTo((int) java.pid()));
	}

	@Test
	void aServerKilledWhileARequestWaitsFailsTheRequestAsALostConnectionNotATimeout() throws Exception {
		Path path = this.dir.resolve("other.sock");
		Process serverJvm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-cp", System.getProperty("java.class.path"), ShmServerMain.class.getName(), path.toString())
			.redirectError(ProcessBuilder.Redirect.DISCARD)
			.start();
		try (BufferedReader out = new BufferedReader(new InputStreamReader(serverJvm.getInputStream()));
				ShmIpcClient other = new ShmIpcClient(
						new ShmClientSettings("other", path, 0, Duration.ofSeconds(5), Duration.ofMinutes(2), 1),
						new ByteArrayMessageConverter(), Runnable::run)) {
			assertThat(out.readLine()).as("the server JVM's first line").isEqualTo("ready");
			CompletableFuture<byte[]> pending = CompletableFuture.supplyAsync(() -> other.request("hang"));
			assertThat(out.readLine()).isEqualTo("got hang");
			serverJvm.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
			assertThat(pending).failsWithin(Duration.ofSeconds(60))
				.withThrowableOfType(ExecutionException.class)
				.havingCause()
				.isInstanceOf(IpcClientException.class)
				.isNotInstanceOf(IpcClientTimeoutException.class)
				.withMessageContaining("lost its connection");
		}
		finally {
			serverJvm.destroyForcibly();
		}
	}

	@Test
	void aStoppedServerLeavesNoSocketFileThreadOrDescriptor() {
		assertThat(this.client.request("one", String.class)).isEqualTo("ONE");
		assertThat(OurThreads.alive("ipc-shm-")).isNotEmpty();
		this.client.close();
		this.server.stop(5000);
		assertThat(this.server.settings().path()).doesNotExist();
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(OurThreads.alive("ipc-shm-")).isEmpty();
			assertThat(ourSharedMemoryDescriptors()).isEqualTo(this.fdsBefore);
		});
		assertThat(this.events).hasAtLeastOneElementOfType(SocketServerStoppedEvent.class);
		assertThat(this.client.name()).isEqualTo("orders");
		assertThatExceptionOfType(IpcClientException.class).isThrownBy(() -> this.client.request("closed"));
	}

	private Path script() throws IOException {
		Path script = this.dir.resolve("ipc_shm_client.py");
		if (!Files.exists(script)) {
			try (InputStream in = getClass().getResourceAsStream("/shm/ipc_shm_client.py")) {
				Files.copy(in, script);
			}
		}
		return script;
	}

	private Process python(String... args) throws IOException {
		Path script = script();
		List<String> command = new java.util.ArrayList<>(
				List.of(Tools.PYTHON, script.toString(), args[0], this.server.settings().path().toString()));
		command.addAll(List.of(args).subList(1, args.length));
		return new ProcessBuilder(command).start();
	}

	/**
	 * Memory and eventfd descriptors of this process (memfd: and anon_inode:[eventfd]).
	 */
	static long ourSharedMemoryDescriptors() throws IOException {
		try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
			return fds.map((fd) -> {
				try {
					return Files.readSymbolicLink(fd).toString();
				}
				catch (IOException ex) {
					return "";
				}
			}).filter((target) -> target.startsWith("/memfd:ipc-shm") || target.contains("[eventfd]")).count();
		}
	}

	private final class Echo implements IpcMessageListener {

		@Override
		public String describe() {
			return "echo";
		}

		@Override
		public void onMessage(Message<?> message, IpcReplyTarget replyTarget) {
			ShmServerTests.this.received.add(message);
			byte[] payload = (byte[]) message.getPayload();
			replyTarget.reply(new String(payload, StandardCharsets.ISO_8859_1).toUpperCase()
				.getBytes(StandardCharsets.ISO_8859_1));
		}

	}

}
