package dev.ipcboot.socket.internal;

import java.nio.file.Path;
import java.time.Duration;

import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.ipcboot.socket.Framing;
import dev.ipcboot.testsupport.LogLines;
import dev.ipcboot.testsupport.OurThreads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A payload the listener cannot convert costs one WARN line without a stack trace, not a
 * screen of log per request, and closes only its own connection.
 */
@ExtendWith(OutputCaptureExtension.class)
class HostilePayloadTests {

	@TempDir
	Path dir;

	@Test
	void badJsonToAnObjectListenerIsLoggedAsExactlyOneWarnLineWithoutAStackTrace(CapturedOutput output) {
		Path path = this.dir.resolve("orders.sock");
		// a server name no other test uses: the output capture takes the whole JVM's
		// lines
		Servers.runner()
			.withBean(OrderListener.class)
			.withPropertyValues("test.orders.server=bad-json-orders", "ipc.servers.bad-json-orders.path=" + path)
			.run((context) -> {
				try (TestClient good = TestClient.local(path, Framing.LINE);
						TestClient bad = TestClient.local(path, Framing.LINE)) {
					bad.send("{\"item\": \"tea\", \"quantity\": ");
					assertThat(bad.readToEnd()).isEqualTo(-1);
					assertThat(good.request("{\"item\":\"tea\",\"quantity\":2}"))
						.isEqualTo("{\"item\":\"tea\",\"quantity\":2,\"status\":\"accepted\"}");
				}
			});
		LogLines lines = LogLines.of(output);
		assertThat(lines.warningsMentioning("'bad-json-orders'")).singleElement(InstanceOfAssertFactories.STRING)
			.contains(" WARN ")
			.contains("could not convert the payload");
		assertThat(lines.stackTracesMentioning("'bad-json-orders'")).as("no stack trace below DEBUG").isEmpty();
		await().atMost(Duration.ofSeconds(10)).until(() -> OurThreads.alive("ipc-").isEmpty());
		assertThat(path).doesNotExist();
	}

	@Test
	void twentyBadJsonPayloadsInARowAreLoggedAsOneWarnLine(CapturedOutput output) {
		Path path = this.dir.resolve("orders.sock");
		// a server name no other test uses: the output capture takes the whole JVM's
		// lines
		Servers.runner()
			.withBean(OrderListener.class)
			.withPropertyValues("test.orders.server=twenty-bad-orders", "ipc.servers.twenty-bad-orders.path=" + path)
			.run((context) -> {
				for (int i = 0; i < 20; i++) {
					try (TestClient bad = TestClient.local(path, Framing.LINE)) {
						bad.send("not json " + i);
						assertThat(bad.readToEnd()).isEqualTo(-1);
					}
				}
				try (TestClient good = TestClient.local(path, Framing.LINE)) {
					assertThat(good.request("{\"item\":\"tea\",\"quantity\":1}")).contains("accepted");
				}
			});
		// rate-limited: about one line per 10 s per channel, the rest counted
		assertThat(LogLines.of(output).mentioning("'twenty-bad-orders'", "could not convert the payload"))
			.hasSizeBetween(1, 2);
	}

}
