package dev.ipcboot.process;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.ipcboot.listener.IpcListener;
import dev.ipcboot.process.ProcessTestSupport.Events;
import dev.ipcboot.testsupport.OurThreads;
import dev.ipcboot.testsupport.Tools;

import static dev.ipcboot.process.ProcessTestSupport.command;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Binary output: raw chunks and the socket framings as {@code byte[]} and
 * {@code ByteBuffer} payloads, with the back-pressure of lines.
 */
class ProcessBinaryOutputTests {

	private static final long HUNDRED_MB = 100L * 1024 * 1024;

	@Test
	void hundredMegabytesOfRawOutputReachAByteBufferListenerWithTheHeapBounded() {
		ProcessTestSupport.runner()
			.withBean(ChunkCounter.class)
			.withPropertyValues(command("blob", "head", "-c", Long.toString(HUNDRED_MB), "/dev/urandom"))
			.withPropertyValues("ipc.processes.blob.restart=never", "ipc.processes.blob.framing=raw")
			.run((context) -> {
				ChunkCounter counter = context.getBean(ChunkCounter.class);
				Events events = context.getBean(Events.class);
				await().atMost(Duration.ofSeconds(60))
					.untilAsserted(() -> assertThat(events.of(ProcessFinishedEvent.class)).hasSize(1));
				await().untilAsserted(() -> assertThat(counter.bytes.get()).isEqualTo(HUNDRED_MB));
				assertThat(counter.chunks.get()).as("chunks of at most 256 KiB").isGreaterThanOrEqualTo(400);
				assertThat(counter.heap.baseline()).isPositive();
				assertThat(counter.heap.retainedGrowth()).as("heap retained while streaming")
					.isLessThan(32L * 1024 * 1024);
				context.close();
				await().untilAsserted(() -> assertThat(OurThreads.alive("ipc-process")).isEmpty());
			});
	}

	@Test
	void lengthPrefixedFramesArriveWholeAndAnOversizedOneIsSkipped() {
		String script = """
				import struct, sys
				out = sys.stdout.buffer
				for payload in [b"first", b"", b"\\x00\\x01\\x02\\n\\x03", b"x" * 5000, b"last"]:
				    out.write(struct.pack(">I", len(payload)) + payload)
				    out.flush()
				""";
		ProcessTestSupport.runner()
			.withBean(Frames.class)
			.withPropertyValues(command("frames", Tools.require("python3", "python3").toString(), "-c", script))
			.withPropertyValues("ipc.processes.frames.restart=never", "ipc.processes.frames.framing=length-prefixed",
					"ipc.processes.frames.max-line-length=4KB")
			.run((context) -> {
				Frames frames = context.getBean(Frames.class);
				await().untilAsserted(() -> assertThat(frames.all).hasSize(4));
				assertThat(frames.all).containsExactly("first", "", "\u0000\u0001\u0002\n\u0003", "last");
			});
	}

	@Test
	void stxEtxAndCrlfFramesAreCutAtTheirDelimiters() {
		ProcessTestSupport.runner().run((context) -> {
			ProcessManager manager = context.getBean(ProcessManager.class);
			List<String> stx = new CopyOnWriteArrayList<>();
			List<String> crlf = new CopyOnWriteArrayList<>();
			manager.start(ProcessSpec.of("stx", "printf", "noise\\002one\\003\\002two\\nlines\\003\\002cut")
				.withFraming(OutputFraming.STX_ETX), (process, stream, message) -> stx.add(message));
			manager.start(ProcessSpec.of("crlf", "printf", "a\\r\\nb\\nc\\r\\n").withFraming(OutputFraming.CRLF),
					(process, stream, message) -> crlf.add(message));
			await().untilAsserted(() -> assertThat(stx).containsExactly("one", "two\nlines"));
			await().untilAsserted(() -> assertThat(crlf).containsExactly("a", "b", "c"));
		});
	}

	/** Counts bytes and samples the heap every 100 chunks. */
	static class ChunkCounter {

		final AtomicLong chunks = new AtomicLong();

		final AtomicLong bytes = new AtomicLong();

		final HeapSampler heap = new HeapSampler(100);

		@IpcListener("blob")
		void chunk(ByteBuffer chunk) {
			this.chunks.incrementAndGet();
			this.bytes.addAndGet(chunk.remaining());
			this.heap.sample();
		}

	}

	static class Frames {

		final List<String> all = new CopyOnWriteArrayList<>();

		@IpcListener("frames")
		void frame(byte[] frame) {
			this.all.add(new String(frame, StandardCharsets.ISO_8859_1));
		}

	}

}
