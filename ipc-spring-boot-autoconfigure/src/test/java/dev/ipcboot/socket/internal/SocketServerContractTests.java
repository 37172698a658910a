package dev.ipcboot.socket.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipcboot.socket.Framing;
import dev.ipcboot.socket.SocketServerSettings;
import dev.ipcboot.socket.SocketTransport;

/**
 * The contract every transport and framing keeps, so local and TCP cannot drift apart:
 * round trip, several frames in one write, and a frame split across many writes; with the
 * listener on the workers (the default) and on the event loop.
 */
class SocketServerContractTests {

	@TempDir
	Path dir;

	static Stream<Arguments> everyTransportAndFraming() {
		List<Arguments> arguments = new ArrayList<>();
		for (SocketServerSettings.Dispatch dispatch : SocketServerSettings.Dispatch.values()) {
			for (SocketTransport transport : SocketTransport.values()) {
				for (Framing framing : Framing.values()) {
					arguments.add(Arguments.of(transport, framing, dispatch));
				}
			}
		}
		return arguments.stream();
	}

	static Stream<Arguments> everyTransportAndStreamingFraming() {
		return everyTransportAndFraming().filter((arguments) -> arguments.get()[1] != Framing.RAW);
	}

	@ParameterizedTest(name = "{0} {1} {2}")
	@MethodSource("everyTransportAndFraming")
	void requestGetsItsReplyAndFrameSplitAcrossWritesIsReassembled(SocketTransport transport, Framing framing,
			SocketServerSettings.Dispatch dispatch) {
		Servers.echo(transport, framing, this.dir).withPropertyValues(dispatch(dispatch)).run((context) -> {
			try (TestClient client = Servers.connect(context, framing)) {
				assertThat(client.request("hello")).isEqualTo("echo:hello");
			}
			try (TestClient client = Servers.connect(context, framing)) {
				byte[] frame = TestClient.encode(framing, "split into pieces".getBytes(StandardCharsets.UTF_8));
				for (byte b : frame) {
					client.writeRaw(new byte[] { b });
				}
				if (framing == Framing.RAW) {
					client.socket().shutdownOutput();
				}
				assertThat(client.receive()).isEqualTo("echo:split into pieces");
			}
		});
	}

	@ParameterizedTest(name = "{0} {1} {2}")
	@MethodSource("everyTransportAndStreamingFraming")
	void severalFramesInOneWriteGetOneReplyEachInOrder(SocketTransport transport, Framing framing,
			SocketServerSettings.Dispatch dispatch) {
		Servers.echo(transport, framing, this.dir).withPropertyValues(dispatch(dispatch)).run((context) -> {
			try (TestClient client = Servers.connect(context, framing)) {
				java.io.ByteArrayOutputStream stream = new java.io.ByteArrayOutputStream();
				for (int i = 0; i < 3; i++) {
					stream.writeBytes(TestClient.encode(framing, ("m" + i).getBytes(StandardCharsets.UTF_8)));
				}
				client.writeRaw(stream.toByteArray());
				assertThat(List.of(client.receive(), client.receive(), client.receive())).containsExactly("echo:m0",
						"echo:m1", "echo:m2");
				assertThat(client.request("and one more")).isEqualTo("echo:and one more");
			}
		});
	}

	/**
	 * Complete frames followed by the start of the next one in a single write: the
	 * complete ones are answered from that read (taken from the read's buffer while
	 * nothing waits in the cumulation), the unfinished one waits for its rest.
	 */
	@ParameterizedTest(name = "{0} {1} {2}")
	@MethodSource("everyTransportAndStreamingFraming")
	void completeFramesAndTheStartOfTheNextInOneWriteAreAnsweredAndTheNextCompletesLater(SocketTransport transport,
			Framing framing, SocketServerSettings.Dispatch dispatch) {
		Servers.echo(transport, framing, this.dir).withPropertyValues(dispatch(dispatch)).run((context) -> {
			try (TestClient client = Servers.connect(context, framing)) {
				java.io.ByteArrayOutputStream stream = new java.io.ByteArrayOutputStream();
				for (int i = 0; i < 3; i++) {
					stream.writeBytes(TestClient.encode(framing, ("m" + i).getBytes(StandardCharsets.UTF_8)));
				}
				byte[] next = TestClient.encode(framing, "the next one".getBytes(StandardCharsets.UTF_8));
				int half = next.length / 2;
				stream.write(next, 0, half);
				client.writeRaw(stream.toByteArray());
				assertThat(List.of(client.receive(), client.receive(), client.receive())).containsExactly("echo:m0",
						"echo:m1", "echo:m2");
				client.writeRaw(java.util.Arrays.copyOfRange(next, half, next.length));
				assertThat(client.receive()).isEqualTo("echo:the next one");
				assertThat(client.request("after")).isEqualTo("echo:after");
			}
		});
	}

	static String dispatch(SocketServerSettings.Dispatch dispatch) {
		return "ipc.servers.echo.dispatch=" + dispatch.name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

}
