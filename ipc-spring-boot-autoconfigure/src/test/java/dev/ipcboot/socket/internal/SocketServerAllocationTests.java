package dev.ipcboot.socket.internal;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.ipcboot.listener.IpcListener;
import dev.ipcboot.socket.Framing;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server's hot path allocates per request only what the listener contract hands out
 * (payload, message, the reflective call's arguments), not header maps, ids, frame
 * buffers or header arrays. Measured in bytes on the server's threads, which unlike time
 * does not depend on the machine's load.
 */
class SocketServerAllocationTests {

	private static final int WARM_UP = 20_000;

	private static final int MEASURED = 5_000;

	/**
	 * A 64-byte payload, its message and the call's arguments are 128 bytes; the header
	 * map, id and timestamp each message used to copy were about 600 more.
	 */
	private static final long MAX_BYTES_PER_REQUEST = 384;

	@TempDir
	Path dir;

	@ParameterizedTest
	@EnumSource(value = Framing.class, names = { "LINE", "LENGTH_PREFIXED" })
	void steadyStateRequestAllocatesLittleMoreThanPayloadAndReply(Framing framing) {
		Servers.runner()
			.withBean(PayloadEcho.class)
			.withPropertyValues("ipc.servers.echo.path=" + this.dir.resolve("echo.sock"),
					"ipc.servers.echo.framing=" + framing.value())
			.run((context) -> {
				String request = "x".repeat(64);
				try (TestClient client = Servers.connect(context, framing)) {
					for (int i = 0; i < WARM_UP; i++) {
						client.request(request);
					}
					long before = allocatedByServerThreads();
					for (int i = 0; i < MEASURED; i++) {
						assertThat(client.request(request)).isEqualTo(request);
					}
					long perRequest = (allocatedByServerThreads() - before) / MEASURED;
					assertThat(perRequest).as("bytes allocated by the server per request")
						.isLessThan(MAX_BYTES_PER_REQUEST);
				}
			});
	}

	/** Replies with the payload it was given: the listener itself allocates nothing. */
	static class PayloadEcho {

		@IpcListener("echo")
		byte[] echo(byte[] payload) {
			return payload;
		}

	}

	private static long allocatedByServerThreads() {
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.getName().startsWith("ipc-"))
			.mapToLong((thread) -> Math.max(0, threads.getThreadAllocatedBytes(thread.getId())))
			.sum();
	}

}
