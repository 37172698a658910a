package dev.ipcboot.socket.internal;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.messaging.Message;

import dev.ipcboot.listener.IpcErrorHandler;
import dev.ipcboot.socket.Framing;
import dev.ipcboot.socket.SocketConnectionFailedEvent;
import dev.ipcboot.socket.SocketTransport;
import dev.ipcboot.testsupport.LogLines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Bad input and failing listeners close only the connection they came on, with an event;
 * the server keeps answering everyone else.
 */
@ExtendWith(OutputCaptureExtension.class)
class SocketServerBadInputTests {

	@TempDir
	Path dir;

	private ApplicationContextRunner runner(SocketTransport transport, Framing framing) {
		return runner("echo", transport, framing);
	}

	private ApplicationContextRunner runner(String name, SocketTransport transport, Framing framing) {
		return Servers.echo(name, transport, framing, this.dir)
			.withBean(EventRecorder.class)
			.withPropertyValues("ipc.servers." + name + ".max-message-size=1KB");
	}

	@ParameterizedTest
	@EnumSource(SocketTransport.class)
	void lengthHeaderClaimingTwoGibibytesClosesOnlyThatConnectionWithoutAllocatingIt(SocketTransport transport) {
		runner(transport, Framing.LENGTH_PREFIXED).run((context) -> {
			try (TestClient good = Servers.connect(context, Framing.LENGTH_PREFIXED);
					TestClient bad = Servers.connect(context, Framing.LENGTH_PREFIXED)) {
				assertThat(good.request("before")).isEqualTo("echo:before");
				long allocatedBefore = allocatedByOurThreads();
				bad.writeRaw(ByteBuffer.allocate(6).putInt(0x80000000).put((byte) 'x').put((byte) 'y').array());
				assertThat(bad.readToEnd()).isEqualTo(-1);
				assertThat(allocatedByOurThreads() - allocatedBefore).isLessThan(64L * 1024 * 1024);
				assertFailedEvent(context, "2147483648");
				bad.close();
				try (TestClient bad2 = Servers.connect(context, Framing.LENGTH_PREFIXED)) {
					bad2.writeRaw(ByteBuffer.allocate(4).putInt(0x7fffffff).array());
					assertThat(bad2.readToEnd()).isEqualTo(-1);
				}
				assertThat(allocatedByOurThreads() - allocatedBefore).isLessThan(64L * 1024 * 1024);
				assertThat(good.request("after")).isEqualTo("echo:after");
			}
		});
	}

	@Test
	void oversizedLengthHeaderIsLoggedOnceAtWarnNamingServerPeerAndReasonNotAsAnError(CapturedOutput output) {
		// a name no other test's server has: the output capture takes the whole JVM's
		// lines
		runner("oversized-header-echo", SocketTransport.LOCAL, Framing.LENGTH_PREFIXED).run((context) -> {
			try (TestClient bad = Servers.connect(context, "oversized-header-echo", Framing.LENGTH_PREFIXED)) {
				bad.writeRaw(ByteBuffer.allocate(4).putInt(4096).array());
				assertThat(bad.readToEnd()).isEqualTo(-1);
				assertFailedEvent(context, "4096");
			}
		});
		assertThat(LogLines.of(output).warningsMentioning("'oversized-header-echo'"))
			.singleElement(InstanceOfAssertFactories.STRING)
			.contains(" WARN ")
			.contains("Socket server 'oversized-header-echo' closed the connection from pid "
					+ ProcessHandle.current().pid())
			.contains("4096")
			.contains("max-message-size");
	}

	@ParameterizedTest
	@EnumSource(SocketTransport.class)
	void lineLongerThanMaxMessageSizeClosesOnlyThatConnection(SocketTransport transport) {
		runner(transport, Framing.LINE).run((context) -> {
			try (TestClient good = Servers.connect(context, Framing.LINE);
					TestClient bad = Servers.connect(context, Framing.LINE)) {
				byte[] line = new byte[4096];
				Arrays.fill(line, (byte) 'a');
				bad.writeRaw(line);
				assertThat(bad.readToEnd()).isEqualTo(-1);
				assertFailedEvent(context, "max-message-size of 1024 bytes");
				assertThat(good.request("still here")).isEqualTo("echo:still here");
			}
		});
	}

	@Test
	void clientVanishingMidFrameClosesOnlyThatConnection() {
		runner(SocketTransport.LOCAL, Framing.LENGTH_PREFIXED).run((context) -> {
			try (TestClient good = Servers.connect(context, Framing.LENGTH_PREFIXED)) {
				try (TestClient bad = Servers.connect(context, Framing.LENGTH_PREFIXED)) {
					bad.writeRaw(ByteBuffer.allocate(7).putInt(100).put(new byte[] { 1, 2, 3 }).array());
				}
				assertFailedEvent(context, "");
				assertThat(good.request("unaffected")).isEqualTo("echo:unaffected");
			}
		});
	}

	@Test
	void malformedJsonForAnObjectListenerClosesOnlyThatConnection() {
		Servers.runner()
			.withBean(OrderListener.class)
			.withBean(EventRecorder.class)
			.withPropertyValues("ipc.servers.orders.path=" + this.dir.resolve("orders.sock"))
			.run((context) -> {
				Path path = this.dir.resolve("orders.sock");
				try (TestClient good = TestClient.local(path, Framing.LINE);
						TestClient bad = TestClient.local(path, Framing.LINE)) {
					bad.send("{\"item\": \"tea\", \"quantity\": ");
					assertThat(bad.readToEnd()).isEqualTo(-1);
					assertThat(good.request("{\"item\":\"tea\",\"quantity\":2}"))
						.isEqualTo("{\"item\":\"tea\",\"quantity\":2,\"status\":\"accepted\"}");
					assertThat(context.getBean(EventRecorder.class).of(SocketConnectionFailedEvent.class))
						.anySatisfy((event) -> assertThat(event.reason()).startsWith("listener failed"));
				}
			});
	}

	@ParameterizedTest
	@EnumSource(SocketTransport.class)
	void listenerThatThrowsClosesItsConnectionAtOnceAndLeavesOthersAlone(SocketTransport transport) {
		runner(transport, Framing.LINE).run((context) -> {
			try (TestClient good = Servers.connect(context, Framing.LINE);
					TestClient failing = Servers.connect(context, Framing.LINE)) {
				assertThat(good.request("first")).isEqualTo("echo:first");
				failing.send("boom");
				assertThat(failing.readToEnd()).isEqualTo(-1);
				assertThat(good.request("second")).isEqualTo("echo:second");
				assertFailedEvent(context, "listener asked to fail");
			}
		});
	}

	@Test
	void errorHandlerRepliesInsteadOfClosing() {
		runner(SocketTransport.LOCAL, Framing.LINE)
			.withBean(IpcErrorHandler.class,
					() -> (Message<?> request, Throwable error) -> "error:" + error.getMessage())
			.run((context) -> {
				try (TestClient client = Servers.connect(context, Framing.LINE)) {
					assertThat(client.request("boom")).isEqualTo("error:listener asked to fail");
					assertThat(client.request("fine")).isEqualTo("echo:fine");
				}
			});
	}

	@Test
	void idleConnectionIsClosedAfterIdleTimeoutWithoutAWarning(CapturedOutput output) {
		// a name no other test's server has: the output capture takes the whole JVM's
		// lines
		runner("idle-echo", SocketTransport.TCP, Framing.LINE)
			.withPropertyValues("ipc.servers.idle-echo.idle-timeout=200ms")
			.run((context) -> {
				try (TestClient client = Servers.connect(context, "idle-echo", Framing.LINE)) {
					assertThat(client.request("awake")).isEqualTo("echo:awake");
					assertThat(client.readToEnd()).isEqualTo(-1);
					assertFailedEvent(context, "idle-timeout");
				}
			});
		// an idle timeout is the server doing what it was told, not bad input
		LogLines lines = LogLines.of(output);
		assertThat(lines.mentioning("Socket server 'idle-echo' closed the connection from")).isEmpty();
		assertThat(lines.warningsMentioning("'idle-echo'")).isEmpty();
	}

	@Test
	void connectionsOverMaxConnectionsAreClosedOnAccept() {
		runner(SocketTransport.LOCAL, Framing.LINE).withPropertyValues("ipc.servers.echo.max-connections=1")
			.run((context) -> {
				try (TestClient first = Servers.connect(context, Framing.LINE)) {
					assertThat(first.request("in")).isEqualTo("echo:in");
					try (TestClient second = Servers.connect(context, Framing.LINE)) {
						// refused on accept: closed before it is read, so it is not
						// written to
						assertThat(second.readToEnd()).isEqualTo(-1);
					}
					assertThat(first.request("still in")).isEqualTo("echo:still in");
					assertFailedEvent(context, "max-connections (1)");
				}
			});
	}

	private static void assertFailedEvent(AssertableApplicationContext context, String reasonPart) {
		EventRecorder recorder = context.getBean(EventRecorder.class);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(recorder.of(SocketConnectionFailedEvent.class))
				.anySatisfy((event) -> assertThat(event.reason()).contains(reasonPart)));
	}

	private static long allocatedByOurThreads() {
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.getName().startsWith("ipc-"))
			.mapToLong((thread) -> Math.max(0, threads.getThreadAllocatedBytes(thread.getId())))
			.sum();
	}

}
