package dev.ipcboot.socket.internal;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.ipcboot.listener.IpcListener;
import dev.ipcboot.socket.Framing;
import dev.ipcboot.socket.SocketServerSettings;
import dev.ipcboot.socket.SocketTransport;
import dev.ipcboot.testsupport.OurThreads;
import dev.ipcboot.testsupport.Tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A listener whose payload parameter is a {@link ByteBuffer} borrows its payload: on a
 * length-prefixed server each frame stays in the connection's pooled buffer and the
 * listener gets a read-only view of it. These would fail if a frame's bytes were lost,
 * reordered or torn across reads, if the view were writable, if a frame cost a payload
 * allocation, or if a {@code byte[]} listener stopped owning its arrays (bad input:
 * {@link SocketServerBorrowedPayloadBadInputTests}).
 */
class SocketServerBorrowedPayloadTests {

	@TempDir
	Path dir;

	private ApplicationContextRunner runner(SocketTransport transport, Class<?> listener) {
		return Servers.meteredLengthPrefixed(transport, listener, this.dir);
	}

	@ParameterizedTest
	@EnumSource(SocketTransport.class)
	void framesOfEverySizeWrittenAtOnceArriveWithTheirExactBytesInOrder(SocketTransport transport) {
		// empty, around the connection's 8 KiB input buffer, the benchmark's 64 KiB and
		// past the reused buffer's first 64 KiB
		int[] sizes = { 0, 1, 100, 8191, 8192, 8193, 65536, 200_000, 3, 65536, 70_000 };
		List<byte[]> frames = frames(sizes, 1);
		runner(transport, BufferEcho.class).run((context) -> {
			try (TestClient client = Servers.connect(context, Framing.LENGTH_PREFIXED)) {
				ByteArrayOutputStream all = new ByteArrayOutputStream();
				frames.forEach((frame) -> all.writeBytes(TestClient.encode(Framing.LENGTH_PREFIXED, frame)));
				client.writeRaw(all.toByteArray());
				BufferEcho listener = context.getBean(BufferEcho.class);
				await().until(() -> listener.frames.size() == frames.size());
				assertThat(listener.frames).zipSatisfy(frames, (got, sent) -> assertThat(got).isEqualTo(sent));
				assertThat(context.getBean(MeterRegistry.class)
					.get("ipc.bytes")
					.tag("channel", "echo")
					.tag("direction", "in")
					.counter()
					.count()).isEqualTo(Arrays.stream(sizes).sum());
			}
		});
	}

	@ParameterizedTest
	@EnumSource(SocketTransport.class)
	void frameSplitAcrossWritesInsideItsHeaderAndPayloadArrivesWhole(SocketTransport transport) {
		byte[] frame = frames(new int[] { 100_000 }, 2).get(0);
		byte[] encoded = TestClient.encode(Framing.LENGTH_PREFIXED, frame);
		runner(transport, BufferEcho.class).run((context) -> {
			try (TestClient client = Servers.connect(context, Framing.LENGTH_PREFIXED)) {
				int[] cuts = { 0, 2, 4 + 5000, 4 + 9000, 4 + 70_000, encoded.length };
				for (int i = 1; i < cuts.length; i++) {
					client.writeRaw(Arrays.copyOfRange(encoded, cuts[i - 1], cuts[i]));
				}
				// one connection is read in order: the reply to this follows the frame
				assertThat(client.request("ping")).isEqualTo("echo:ping");
				assertThat(context.getBean(BufferEcho.class).frames).hasSize(2)
					.first()
					.satisfies((got) -> assertThat(got).isEqualTo(frame));
			}
		});
	}

	@ParameterizedTest
	@EnumSource(SocketTransport.class)
	void viewIsReadOnlyBigEndianAndStartsAtTheFrameWhateverTheListenerDidWithTheLastOne(SocketTransport transport) {
		runner(transport, BufferEcho.class).run((context) -> {
			try (TestClient client = Servers.connect(context, Framing.LENGTH_PREFIXED)) {
				assertThat(client.request("first")).isEqualTo("echo:first");
				assertThat(client.request("second")).isEqualTo("echo:second");
				// every frame: read-only, a put fails, position 0, big-endian, although
				// the listener left the previous view at its end in little-endian order
				assertThat(context.getBean(BufferEcho.class).views).containsExactly("read-only 0 BIG_ENDIAN",
						"read-only 0 BIG_ENDIAN");
			}
		});
	}

	@ParameterizedTest
	@EnumSource(SocketTransport.class)
	void halfSentFrameIsHeldWithoutAThreadAndClosingTheContextEndsIt(SocketTransport transport) {
		runner(transport, BufferEcho.class).run((context) -> {
			TestClient client = Servers.connect(context, Framing.LENGTH_PREFIXED);
			client.writeRaw(ByteBuffer.allocate(4 + 10).putInt(1000).array());
			SocketServer server = context.getBean(SocketServers.class).get("echo");
			// the 14 bytes that arrived are held, not the 1000 the header claims, and no
			// worker waits for the rest
			await().until(() -> server.bufferedBytes() == 14);
			assertThat(stackOf("ipc-worker-")).doesNotContain("BufferEcho");
			context.close();
			client.close();
		});
		await().until(() -> OurThreads.alive("ipc-").isEmpty());
	}

	@Test
	void byteArrayListenerOnAnotherServerStillOwnsEachArray() {
		runner(SocketTransport.LOCAL, BufferEcho.class).withBean(KeepingBytes.class)
			.withPropertyValues("ipc.servers.kept.path=" + this.dir.resolve("kept.sock"),
					"ipc.servers.kept.framing=length-prefixed")
			.run((context) -> {
				List<byte[]> frames = frames(new int[] { 40, 40, 40, 40, 40, 40, 40, 40 }, 3);
				try (TestClient buffers = Servers.connect(context, Framing.LENGTH_PREFIXED);
						TestClient arrays = TestClient.local(this.dir.resolve("kept.sock"), Framing.LENGTH_PREFIXED)) {
					ByteArrayOutputStream all = new ByteArrayOutputStream();
					frames.forEach((frame) -> all.writeBytes(TestClient.encode(Framing.LENGTH_PREFIXED, frame)));
					buffers.writeRaw(all.toByteArray());
					arrays.writeRaw(all.toByteArray());
					KeepingBytes kept = context.getBean(KeepingBytes.class);
					BufferEcho borrowed = context.getBean(BufferEcho.class);
					await()
						.until(() -> kept.payloads.size() == frames.size() && borrowed.frames.size() == frames.size());
					// the arrays it kept were not overwritten by later frames
					assertThat(kept.payloads).zipSatisfy(frames, (got, sent) -> assertThat(got).isEqualTo(sent));
					assertThat(borrowed.frames).zipSatisfy(frames, (got, sent) -> assertThat(got).isEqualTo(sent));
				}
			});
	}

	@ParameterizedTest
	@EnumSource(value = SocketServerSettings.Dispatch.class)
	void byteArrayListenerOwnsFramesLongEnoughToBeLentThoughTheServerReusedItsBuffer(
			SocketServerSettings.Dispatch dispatch) {
		// frames of 1 KiB or more are lent by the server; the listener core copies them
		// for a byte[] listener, which must then own arrays that later frames do not
		// touch
		runner(SocketTransport.LOCAL, BufferEcho.class).withBean(KeepingBytes.class)
			.withPropertyValues("ipc.servers.kept.path=" + this.dir.resolve("kept.sock"),
					"ipc.servers.kept.framing=length-prefixed",
					"ipc.servers.kept.dispatch=" + dispatch.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'))
			.run((context) -> {
				List<byte[]> frames = frames(new int[] { 1024, 4096, 1024, 70_000, 2048, 1024, 8192, 1500 }, 4);
				try (TestClient arrays = TestClient.local(this.dir.resolve("kept.sock"), Framing.LENGTH_PREFIXED)) {
					ByteArrayOutputStream all = new ByteArrayOutputStream();
					frames.forEach((frame) -> all.writeBytes(TestClient.encode(Framing.LENGTH_PREFIXED, frame)));
					arrays.writeRaw(all.toByteArray());
					arrays.writeRaw(all.toByteArray());
					KeepingBytes kept = context.getBean(KeepingBytes.class);
					await().until(() -> kept.payloads.size() == 2 * frames.size());
					List<byte[]> twice = new ArrayList<>(frames);
					twice.addAll(frames);
					assertThat(kept.payloads).zipSatisfy(twice, (got, sent) -> assertThat(got).isEqualTo(sent));
				}
			});
	}

	@ParameterizedTest
	@EnumSource(SocketTransport.class)
	void lineFramedServerGivesAByteBufferListenerAReadOnlyViewOfItsOwnArray(SocketTransport transport) {
		runner(transport, BufferEcho.class).withPropertyValues("ipc.servers.echo.framing=line").run((context) -> {
			try (TestClient client = Servers.connect(context, Framing.LINE)) {
				assertThat(client.request("one")).isEqualTo("echo:one");
				assertThat(client.request("two")).isEqualTo("echo:two");
				BufferEcho listener = context.getBean(BufferEcho.class);
				assertThat(listener.views).containsExactly("read-only 0 BIG_ENDIAN", "read-only 0 BIG_ENDIAN");
				// not borrowed: a view kept by the listener still holds its frame
				assertThat(listener.kept).extracting(SocketServerBorrowedPayloadTests::text)
					.containsExactly("one", "two");
			}
		});
	}

	@ParameterizedTest
	@EnumSource(SocketTransport.class)
	void byteBufferListenerReturningACompletionStageGetsAPayloadThatOutlivesTheCall(SocketTransport transport) {
		runner(transport, LaterEcho.class).run((context) -> {
			try (TestClient client = Servers.connect(context, Framing.LENGTH_PREFIXED)) {
				ByteArrayOutputStream all = new ByteArrayOutputStream();
				for (int i = 0; i < 20; i++) {
					all.writeBytes(TestClient.encode(Framing.LENGTH_PREFIXED,
							("message-" + i).getBytes(StandardCharsets.UTF_8)));
				}
				client.writeRaw(all.toByteArray());
				List<String> replies = new ArrayList<>();
				for (int i = 0; i < 20; i++) {
					replies.add(client.receive());
				}
				// each reply is written when its future completes, in any order
				assertThat(replies).containsExactlyInAnyOrderElementsOf(
						Stream.iterate(0, (i) -> i + 1).limit(20).map((i) -> "later:message-" + i).toList());
			}
		});
	}

	@ParameterizedTest
	@EnumSource(SocketTransport.class)
	void streamOf64KiBFramesToAByteBufferListenerAllocatesNoPayloadPerFrame(SocketTransport transport) {
		String threads = "ipc-";
		byte[] encoded = TestClient.encode(Framing.LENGTH_PREFIXED, new byte[64 * 1024]);
		runner(transport, Counter.class).run((context) -> {
			Counter counter = context.getBean(Counter.class);
			try (TestClient client = Servers.connect(context, Framing.LENGTH_PREFIXED)) {
				for (int i = 0; i < 2000; i++) {
					client.writeRaw(encoded);
				}
				await().until(() -> counter.frames.sum() == 2000);
				long before = allocatedBy(threads);
				for (int i = 0; i < 2000; i++) {
					client.writeRaw(encoded);
				}
				await().until(() -> counter.frames.sum() == 4000);
				// a byte[] per frame would be 64 KiB; the message and the call's
				// arguments
				// are a few dozen bytes
				assertThat((allocatedBy(threads) - before) / 2000).as("bytes allocated by the server per frame")
					.isLessThan(1024);
			}
		});
	}

	@Test
	void qtLocalSocketStreamingQByteArraysReachesAByteBufferListenerByteForByte() throws Exception {
		String python = Tools.requirePythonModule("PyQt5.QtNetwork", "python3-pyqt5");
		Path script = this.dir.resolve("stream.py");
		Files.writeString(script, QtLocalSocketScript.connectedThen("""
				for i in range(8):
				    out << QByteArray(bytes((i * 7 + j) % 251 for j in range(65536)))
				while socket.bytesToWrite() > 0:
				    if not socket.waitForBytesWritten(5000):
				        sys.exit("write: " + socket.errorString())
				socket.disconnectFromServer()
				print("sent")
				"""));
		runner(SocketTransport.LOCAL, BufferEcho.class).run((context) -> {
			assertThat(ForeignProcess.run(List.of(python, script.toString(), this.dir.resolve("echo.sock").toString()),
					""))
				.isEqualTo("sent\n");
			BufferEcho listener = context.getBean(BufferEcho.class);
			await().until(() -> listener.frames.size() == 8);
			for (int i = 0; i < 8; i++) {
				byte[] expected = new byte[65536];
				for (int j = 0; j < expected.length; j++) {
					expected[j] = (byte) ((i * 7 + j) % 251);
				}
				assertThat(listener.frames.get(i)).isEqualTo(expected);
			}
		});
	}

	private static long allocatedBy(String threadPrefix) {
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.getName().startsWith(threadPrefix))
			.mapToLong((thread) -> Math.max(0, threads.getThreadAllocatedBytes(thread.getId())))
			.sum();
	}

	private static String stackOf(String threadPrefix) {
		StringBuilder stack = new StringBuilder();
		Thread.getAllStackTraces().forEach((thread, frames) -> {
			if (thread.getName().startsWith(threadPrefix)) {
				for (StackTraceElement frame : frames) {
					stack.append(frame.getClassName()).append('.').append(frame.getMethodName()).append('\n');
				}
			}
		});
		return stack.toString();
	}

	private static List<byte[]> frames(int[] sizes, long seed) {
		Random random = new Random(seed);
		List<byte[]> frames = new ArrayList<>();
		for (int size : sizes) {
			byte[] frame = new byte[size];
			random.nextBytes(frame);
			frames.add(frame);
		}
		return frames;
	}

	private static String text(ByteBuffer buffer) {
		return StandardCharsets.UTF_8.decode(buffer.duplicate().rewind()).toString();
	}

	/**
	 * Copies every frame, describes its view, then leaves the view at its end in
	 * little-endian order; replies {@code echo:} and the frame to short frames.
	 */
	static class BufferEcho {

		final List<byte[]> frames = new CopyOnWriteArrayList<>();

		final List<String> views = new CopyOnWriteArrayList<>();

		final List<ByteBuffer> kept = new CopyOnWriteArrayList<>();

		@IpcListener("echo")
		@Nullable String echo(ByteBuffer payload) {
			String writable;
			try {
				payload.put(0, (byte) 0);
				writable = "writable";
			}
			catch (ReadOnlyBufferException | IndexOutOfBoundsException ex) {
				writable = "read-only";
			}
			this.views.add(writable + " " + payload.position() + " " + payload.order());
			this.kept.add(payload);
			byte[] copy = new byte[payload.remaining()];
			payload.get(copy);
			payload.order(ByteOrder.LITTLE_ENDIAN);
			this.frames.add(copy);
			return (copy.length <= 64) ? "echo:" + new String(copy, StandardCharsets.UTF_8) : null;
		}

	}

	/** Counts frames, allocating nothing. */
	static class Counter {

		final LongAdder frames = new LongAdder();

		@IpcListener("echo")
		void count(ByteBuffer payload) {
			this.frames.increment();
		}

	}

	/** Replies from another thread once the call has returned. */
	static class LaterEcho {

		@IpcListener("echo")
		CompletableFuture<String> later(ByteBuffer payload) {
			return CompletableFuture.supplyAsync(() -> "later:" + text(payload));
		}

	}

	/** Keeps every array it is given. */
	static class KeepingBytes {

		final List<byte[]> payloads = new CopyOnWriteArrayList<>();

		@IpcListener("kept")
		void keep(byte[] payload) {
			this.payloads.add(payload);
		}

	}

}
