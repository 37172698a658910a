package dev.ipcboot.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The desk at rest, as a newcomer watches it: once started it logs nothing for a minute
 * (its status board, worker and D-Bus work at DEBUG), and its health answers UP on every
 * poll (the worker no longer crashes on purpose unless asked to).
 */
@ExtendWith(OutputCaptureExtension.class)
class SampleIdleTests {

	@TempDir
	Path dir;

	@Test
	void idleDeskLogsNothingForAMinuteAndStaysUp(CapturedOutput output) throws Exception {
		String key = SampleSupport.uniqueKey("sample-idle");
		try (ConfigurableApplicationContext context = SampleSupport
			.run(SampleSupport.ownResources(this.dir, key).toArray(String[]::new))) {
			URI health = URI.create("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port")
					+ "/actuator/health");
			HttpClient http = HttpClient.newHttpClient();
			await().atMost(Duration.ofSeconds(30)).until(() -> output.getOut().contains("invoice worker ready"));
			assertThat(get(http, health)).isEqualTo(200);
			int quietFrom = output.getOut().length();
			List<Long> polls = new CopyOnWriteArrayList<>();
			long idleFrom = System.nanoTime();
			// what is asserted: UP on every poll for a minute, polled throughout it. A
			// poll
			// takes 3 s plus the request (at most its 10 s timeout), so every quarter of
			// the
			// minute has one however loaded the machine; atMost only ends a wait that
			// hangs
			await().pollInterval(Duration.ofSeconds(3))
				.during(Duration.ofSeconds(60))
				.atMost(Duration.ofMinutes(3))
				.until(() -> {
					polls.add(System.nanoTime() - idleFrom);
					return get(http, health) == 200;
				});
			for (int quarter = 0; quarter < 4; quarter++) {
				long from = TimeUnit.SECONDS.toNanos(15L * quarter);
				long to = TimeUnit.SECONDS.toNanos(15L * (quarter + 1));
				assertThat(polls).as("polls in seconds %d-%d of the minute", 15 * quarter, 15 * (quarter + 1))
					.anyMatch((at) -> at >= from && at < to);
			}
			assertThat(output.getOut().substring(quietFrom)).as("what the idle desk logged in a minute").isEmpty();
		}
		assertThat(output.getOut()).doesNotContain("port=0").doesNotContain("WARN").doesNotContain("ERROR");
	}

	private static int get(HttpClient http, URI uri) throws Exception {
		HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
				HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() == 200) {
			assertThat(response.body()).as("overall health").endsWith("\"status\":\"UP\"}");
		}
		return response.statusCode();
	}

}
