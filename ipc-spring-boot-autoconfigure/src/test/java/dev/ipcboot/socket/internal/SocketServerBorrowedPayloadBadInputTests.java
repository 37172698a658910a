package dev.ipcboot.socket.internal;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.ipcboot.IpcEvent;
import dev.ipcboot.socket.Framing;
import dev.ipcboot.socket.SocketConnectionClosedEvent;
import dev.ipcboot.socket.SocketConnectionEvent;
import dev.ipcboot.socket.SocketConnectionFailedEvent;
import dev.ipcboot.socket.SocketConnectionOpenedEvent;
import dev.ipcboot.socket.SocketTransport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Bad input and silence on a length-prefixed server whose listener borrows its payload as
 * a {@link ByteBuffer}: the connection is closed with the same events, reasons and
 * metrics as for a {@code byte[]} listener, and the idle timeout still applies inside and
 * between frames, which junixsocket's channel would otherwise report as an end of stream.
 */
class SocketServerBorrowedPayloadBadInputTests {

	@TempDir
	Path dir;

	private ApplicationContextRunner runner(SocketTransport transport, Class<?> listener) {
		return Servers.meteredLengthPrefixed(transport, listener, this.dir);
	}

	static Stream<Arguments> badLengthPrefixedInput() {
		return Stream.of(SocketTransport.values())
			.flatMap((transport) -> Stream.of(
					Arguments.of(transport, "length header over max-message-size",
							ByteBuffer.allocate(4).putInt(4096).array()),
					Arguments.of(transport, "length header claiming 2 GiB",
							ByteBuffer.allocate(6).putInt(0x80000000).put((byte) 'x').put((byte) 'y').array()),
					Arguments.of(transport, "frame cut short by the client going away",
							ByteBuffer.allocate(7).putInt(100).put(new byte[] { 1, 2, 3 }).array()),
					Arguments.of(transport, "header cut short by the client going away", new byte[] { 0, 0 })));
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("badLengthPrefixedInput")
	void badInputClosesOnlyThatConnectionWithTheSameEventsAndMetricsAsForAByteArrayListener(SocketTransport transport,
			String what, byte[] bad) {
		List<String> forArrays = afterBadInput(transport, EchoListener.class, bad);
		List<String> forBuffers = afterBadInput(transport, SocketServerBorrowedPayloadTests.BufferEcho.class, bad);
		assertThat(forBuffers).isEqualTo(forArrays)
			.anySatisfy((line) -> assertThat(line).startsWith("SocketConnectionFailedEvent"))
			.anySatisfy((line) -> assertThat(line).startsWith("failures "));
	}

	/**
	 * The events of a connection that sent the bad bytes and went away, and the failure
	 * metrics, once another connection has been served after it.
	 */
	private List<String> afterBadInput(SocketTransport transport, Class<?> listener, byte[] bad) {
		List<String> seen = new ArrayList<>();
		runner(transport, listener).withPropertyValues("ipc.servers.echo.max-message-size=1KB").run((context) -> {
			EventRecorder recorder = context.getBean(EventRecorder.class);
			try (TestClient client = Servers.connect(context, Framing.LENGTH_PREFIXED)) {
				client.writeRaw(bad);
				client.socket().shutdownOutput();
				assertThat(client.readToEnd()).isEqualTo(-1);
			}
			await().until(() -> !recorder.of(SocketConnectionClosedEvent.class).isEmpty());
			try (TestClient good = Servers.connect(context, Framing.LENGTH_PREFIXED)) {
				assertThat(good.request("after")).isEqualTo("echo:after");
			}
			for (IpcEvent event : recorder.events) {
				if (event instanceof SocketConnectionFailedEvent failed) {
					seen.add("SocketConnectionFailedEvent " + failed.reason());
				}
				else if (event instanceof SocketConnectionEvent connection
						&& connection.connectionId().equals(firstConnection(recorder))) {
					seen.add(event.getClass().getSimpleName());
				}
			}
			context.getBean(MeterRegistry.class)
				.find("ipc.connection.failures")
				.counters()
				.forEach((counter) -> seen.add("failures " + counter.getId().getTag("reason") + " " + counter.count()));
		});
		return seen;
	}

	@ParameterizedTest
	@EnumSource(SocketTransport.class)
	void peerSilentInTheMiddleOfAFrameIsClosedAfterIdleTimeout(SocketTransport transport) {
		runner(transport, SocketServerBorrowedPayloadTests.BufferEcho.class)
			.withPropertyValues("ipc.servers.echo.idle-timeout=300ms")
			.run((context) -> {
				try (TestClient client = Servers.connect(context, Framing.LENGTH_PREFIXED)) {
					client.writeRaw(ByteBuffer.allocate(4 + 100).putInt(100_000).array());
					assertThat(client.readToEnd()).isEqualTo(-1);
					await().until(() -> context.getBean(EventRecorder.class)
						.of(SocketConnectionFailedEvent.class)
						.stream()
						.anyMatch((event) -> event.reason().contains("idle-timeout")));
				}
			});
	}

	@ParameterizedTest
	@EnumSource(SocketTransport.class)
	void peerSilentBetweenFramesIsClosedAfterIdleTimeout(SocketTransport transport) {
		runner(transport, SocketServerBorrowedPayloadTests.BufferEcho.class)
			.withPropertyValues("ipc.servers.echo.idle-timeout=300ms")
			.run((context) -> {
				try (TestClient client = Servers.connect(context, Framing.LENGTH_PREFIXED)) {
					assertThat(client.request("awake")).isEqualTo("echo:awake");
					assertThat(client.readToEnd()).isEqualTo(-1);
					await().until(() -> context.getBean(EventRecorder.class)
						.of(SocketConnectionFailedEvent.class)
						.stream()
						.anyMatch((event) -> event.reason().contains("idle-timeout")));
				}
			});
	}

	private static String firstConnection(EventRecorder recorder) {
		return recorder.of(SocketConnectionOpenedEvent.class).get(0).connectionId();
	}

}
