package dev.ipcboot.socket.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.ipcboot.listener.IpcListener;
import dev.ipcboot.socket.Framing;
import dev.ipcboot.socket.SocketServerSettings;
import dev.ipcboot.socket.SocketTransport;
import dev.ipcboot.testsupport.LogLines;
import dev.ipcboot.testsupport.OurThreads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Peers that are slow on purpose hold no thread and no connection for ever: a slowloris
 * is closed at {@code frame-timeout}, an idle peer at {@code idle-timeout}, and a peer
 * that never reads its replies at {@code write-timeout}, while everyone else is served.
 */
@ExtendWith(OutputCaptureExtension.class)
class HostileSlowPeerTests {

	@TempDir
	Path dir;

	@ParameterizedTest
	@EnumSource(SocketTransport.class)
	void slowlorisSendingOneBytePerSecondIsClosedWithinFrameTimeout(SocketTransport transport) {
		Servers.echo(transport, Framing.LINE, this.dir)
			.withPropertyValues("ipc.servers.echo.frame-timeout=2s", "ipc.servers.echo.idle-timeout=60s")
			.run((context) -> {
				ScheduledExecutorService drip = Executors.newSingleThreadScheduledExecutor();
				try (TestClient good = Servers.connect(context, Framing.LINE);
						TestClient slowloris = Servers.connect(context, Framing.LINE)) {
					AtomicInteger dripped = new AtomicInteger();
					long started = System.nanoTime();
					// a line that never ends, one byte a second: each byte is activity,
					// so
					// only the frame deadline can close it
					drip.scheduleAtFixedRate(() -> {
						try {
							slowloris.writeRaw(new byte[] { 'a' });
							dripped.incrementAndGet();
						}
						catch (IOException ex) {
							throw new IllegalStateException("closed", ex);
						}
					}, 0, 1, TimeUnit.SECONDS);
					assertThat(slowloris.readToEnd()).isEqualTo(-1);
					Duration open = Duration.ofNanos(System.nanoTime() - started);
					assertThat(open).as("closed after its frame-timeout of 2s, long before idle-timeout")
						.isBetween(Duration.ofMillis(1500), Duration.ofSeconds(8));
					assertThat(dripped.get()).isGreaterThanOrEqualTo(2);
					assertThat(good.request("still served")).isEqualTo("echo:still served");
				}
				finally {
					drip.shutdownNow();
				}
			});
		assertNothingOfOursLeft();
	}

	@Test
	void peerThatSendsNothingAfterItsLastRequestIsStillClosedAtIdleTimeout() {
		Servers.echo(SocketTransport.LOCAL, Framing.LINE, this.dir)
			.withPropertyValues("ipc.servers.echo.idle-timeout=1s", "ipc.servers.echo.frame-timeout=30s")
			.run((context) -> {
				try (TestClient idle = Servers.connect(context, Framing.LINE);
						TestClient silent = Servers.connect(context, Framing.LINE)) {
					assertThat(idle.request("one")).isEqualTo("echo:one");
					long started = System.nanoTime();
					assertThat(idle.readToEnd()).isEqualTo(-1);
					assertThat(silent.readToEnd()).as("a peer that never sent a byte is idle too").isEqualTo(-1);
					assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(8));
				}
			});
		assertNothingOfOursLeft();
	}

	@ParameterizedTest(name = "{0} {1}")
	@CsvSource({ "LOCAL, WORKERS", "TCP, WORKERS", "LOCAL, EVENT_LOOP", "TCP, EVENT_LOOP" })
	void peerThatSendsRequestsAndNeverReadsIsClosedAtWriteTimeoutWhileHundredOthersAreServed(SocketTransport transport,
			SocketServerSettings.Dispatch dispatch, CapturedOutput output) {
		// with dispatch: event-loop the replies are written where they are made, without
		// waiting for room: the server stops reading the peer instead, so its output
		// stays bounded
		Servers.runner()
			.withBean(BigReplyListener.class)
			.withPropertyValues(
					"ipc.servers.deaf-peer-echo.dispatch=" + dispatch.name().toLowerCase(Locale.ROOT).replace('_', '-'))
			.withPropertyValues("ipc.servers.deaf-peer-echo.transport=" + transport.name().toLowerCase(),
					"ipc.servers.deaf-peer-echo.path=" + this.dir.resolve("echo.sock"),
					"ipc.servers.deaf-peer-echo.port=0", "ipc.servers.deaf-peer-echo.write-timeout=2s",
					"ipc.servers.deaf-peer-echo.max-connections-per-peer=200")
			.run((context) -> {
				ExecutorService pool = Executors.newFixedThreadPool(25);
				try (TestClient deaf = Servers.connect(context, "deaf-peer-echo", Framing.LINE)) {
					// 16 KiB requests for 512 KiB replies, never reading one: the socket
					// buffers fill both ways, then the server's queue for it, then
					// write-timeout runs out and the server closes it, so a write fails
					String request = "big" + "x".repeat(16 * 1024);
					CompletableFuture<Boolean> writer = CompletableFuture.supplyAsync(() -> {
						try {
							for (int sent = 0; sent < 2000; sent++) {
								deaf.send(request);
							}
							return false;
						}
						catch (IOException ex) {
							return true;
						}
					}, pool);
					List<Future<Integer>> others = new ArrayList<>();
					for (int c = 0; c < 100; c++) {
						int client = c;
						others.add(pool.submit(() -> {
							try (TestClient other = Servers.connect(context, "deaf-peer-echo", Framing.LINE)) {
								for (int r = 0; r < 10; r++) {
									String payload = "client " + client + " request " + r;
									assertThat(other.request(payload)).isEqualTo("echo:" + payload);
								}
								return 10;
							}
						}));
					}
					int served = 0;
					for (Future<Integer> other : others) {
						served += other.get(60, TimeUnit.SECONDS);
					}
					assertThat(served).isEqualTo(1000);
					assertThat(writer.get(60, TimeUnit.SECONDS))
						.as("the server closed the non-reading peer, so its writes failed")
						.isTrue();
					assertThat(context.getBean(BigReplyListener.class).big.get())
						.as("requests of the non-reading peer the server read and answered: bounded by the "
								+ "water mark, not by what the peer sent in write-timeout (2,000 x 512 KiB)")
						.isLessThan(100);
				}
				finally {
					pool.shutdownNow();
				}
			});
		// only the lines of this test's server (a name no other test uses): the output
		// capture takes the whole JVM's
		assertThat(LogLines.of(output).warningsMentioning("Socket server 'deaf-peer-echo'", "write-timeout"))
			.as("one WARN naming the peer")
			.hasSize(1);
		assertNothingOfOursLeft();
	}

	private void assertNothingOfOursLeft() {
		await().atMost(Duration.ofSeconds(10)).until(() -> OurThreads.alive("ipc-").isEmpty());
		assertThat(this.dir.resolve("echo.sock")).doesNotExist();
	}

	static class BigReplyListener {

		private static final String BIG = "x".repeat(512 * 1024);

		final AtomicInteger big = new AtomicInteger();

		@IpcListener("deaf-peer-echo")
		byte[] reply(String payload) {
			if (payload.startsWith("big")) {
				this.big.incrementAndGet();
				return BIG.getBytes(StandardCharsets.UTF_8);
			}
			return ("echo:" + payload).getBytes(StandardCharsets.UTF_8);
		}

	}

}
