package dev.ipcboot.socket.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.ipcboot.listener.IpcListener;
import dev.ipcboot.socket.Framing;
import dev.ipcboot.socket.SocketTransport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A connection reuses its read buffer for every frame; these would fail if a payload
 * handed to a listener were a view of that buffer, or if one connection's state leaked
 * into another's replies.
 */
class SocketServerBufferReuseTests {

	private static final int MESSAGES = 50;

	@TempDir
	Path dir;

	static Stream<Arguments> everyTransportAndStreamingFraming() {
		return SocketServerContractTests.everyTransportAndStreamingFraming();
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("everyTransportAndStreamingFraming")
	void payloadKeptByTheListenerStillHoldsItsContentAfterLaterMessages(SocketTransport transport, Framing framing) {
		server(transport, framing).withBean(KeepingListener.class).run((context) -> {
			try (TestClient client = Servers.connect(context, framing)) {
				assertThat(client.request(message(0))).isEqualTo("kept:1");
				// the rest in one write, so that they pass through the same buffer
				ByteArrayOutputStream rest = new ByteArrayOutputStream();
				for (int i = 1; i < MESSAGES; i++) {
					rest.writeBytes(TestClient.encode(framing, message(i).getBytes(StandardCharsets.UTF_8)));
				}
				client.writeRaw(rest.toByteArray());
				for (int i = 1; i < MESSAGES; i++) {
					assertThat(client.receive()).isEqualTo("kept:" + (i + 1));
				}
			}
			List<String> kept = context.getBean(KeepingListener.class).payloads.stream()
				.map((payload) -> new String(payload, StandardCharsets.UTF_8))
				.toList();
			assertThat(kept).containsExactlyElementsOf(Stream.iterate(0, (i) -> i + 1)
				.limit(MESSAGES)
				.map(SocketServerBufferReuseTests::message)
				.toList());
		});
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("everyTransportAndStreamingFraming")
	void concurrentConnectionsEachGetTheirOwnRepliesInOrder(SocketTransport transport, Framing framing) {
		server(transport, framing).withBean(EchoListener.class).run((context) -> {
			ExecutorService clients = Executors.newFixedThreadPool(4);
			try {
				List<Future<List<String>>> results = new ArrayList<>();
				for (int c = 0; c < 4; c++) {
					String name = "client" + c;
					results.add(clients.submit(() -> {
						List<String> replies = new ArrayList<>();
						try (TestClient client = Servers.connect(context, framing)) {
							for (int i = 0; i < MESSAGES; i++) {
								replies.add(client.request(name + "-" + message(i)));
							}
						}
						return replies;
					}));
				}
				for (int c = 0; c < 4; c++) {
					String name = "client" + c;
					assertThat(results.get(c).get(60, TimeUnit.SECONDS))
						.containsExactlyElementsOf(Stream.iterate(0, (i) -> i + 1)
							.limit(MESSAGES)
							.map((i) -> "echo:" + name + "-" + message(i))
							.toList());
				}
			}
			finally {
				clients.shutdownNow();
			}
		});
	}

	/**
	 * Same length for every message, different bytes: a reused array would be
	 * overwritten.
	 */
	private static String message(int i) {
		char[] fill = new char[40];
		Arrays.fill(fill, (char) ('a' + i % 26));
		return String.format("%03d-", i) + new String(fill);
	}

	private ApplicationContextRunner server(SocketTransport transport, Framing framing) {
		ApplicationContextRunner runner = Servers.runner()
			.withPropertyValues("ipc.servers.echo.transport=" + transport.name().toLowerCase(),
					"ipc.servers.echo.framing=" + framing.value());
		return (transport == SocketTransport.LOCAL)
				? runner.withPropertyValues("ipc.servers.echo.path=" + this.dir.resolve("echo.sock"))
				: runner.withPropertyValues("ipc.servers.echo.port=0");
	}

	/** Keeps a reference to every payload it is given, and replies with how many. */
	static class KeepingListener {

		final List<byte[]> payloads = new CopyOnWriteArrayList<>();

		@IpcListener("echo")
		String keep(byte[] payload) {
			this.payloads.add(payload);
			return "kept:" + this.payloads.size();
		}

	}

}
