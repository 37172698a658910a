package dev.ipcboot.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The desk's web server as an unconfigured copy of the sample has it: bound to loopback
 * only, and Actuator exposing health and nothing else (the ipc endpoint and metrics name
 * the machine's sockets, processes and users, so they are opt-in).
 */
class SampleActuatorTests {

	@TempDir
	Path dir;

	@Test
	void webServerListensOnLoopbackOnlyAndExposesOnlyHealth() throws Exception {
		SampleSupport.requireTool("ss");
		String key = SampleSupport.uniqueKey("sample-actuator");
		try (ConfigurableApplicationContext context = SampleSupport
			.run(SampleSupport.ownResources(this.dir, key).toArray(String[]::new))) {
			String port = context.getEnvironment().getProperty("local.server.port");
			String listening = SampleSupport.sh("ss -Hltn 'sport = :" + port + "'");
			assertThat(listening.lines()).as("sockets listening on port " + port)
				.isNotEmpty()
				.allSatisfy(
						(line) -> assertThat(line).containsAnyOf("127.0.0.1:" + port, "[::ffff:127.0.0.1]:" + port));
			HttpClient http = HttpClient.newHttpClient();
			assertThat(status(http, port, "/actuator/health")).isEqualTo(200);
			assertThat(status(http, port, "/actuator/ipc")).isEqualTo(404);
			assertThat(status(http, port, "/actuator/metrics")).isEqualTo(404);
			assertThat(status(http, port, "/actuator/env")).isEqualTo(404);
		}
	}

	@Test
	void healthOverLoopbackTcpToACallerWithoutCredentialsIsTheStatusAloneWhileTheOwnersSocketGetsTheDetails()
			throws Exception {
		SampleSupport.requireTool("curl");
		String key = SampleSupport.uniqueKey("sample-actuator-details");
		var args = SampleSupport.ownResources(this.dir, key);
		Path socket = this.dir.resolve("http.sock"); // ownResources puts the HTTP socket
														// there
		try (ConfigurableApplicationContext context = SampleSupport.run(args.toArray(String[]::new))) {
			String port = context.getEnvironment().getProperty("local.server.port");
			HttpResponse<String> overTcp = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
					.timeout(Duration.ofSeconds(10))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(overTcp.statusCode()).isEqualTo(200);
			// any user of the machine reaches 127.0.0.1: no paths, no bus address, no
			// worker state
			assertThat(overTcp.body()).contains("\"status\":\"UP\"")
				.doesNotContain("components", "details", this.dir.toString(), "/dev/shm", "unix:path");
			String overSocket = SampleSupport
				.sh("curl -sS --max-time 20 --unix-socket '" + socket + "' http://localhost/actuator/health");
			assertThat(overSocket).contains("\"status\":\"UP\"")
				.contains("\"components\"")
				.contains("http local server");
		}
	}

	@Test
	void ipcEndpointIsThereWhenConfigured() throws Exception {
		String key = SampleSupport.uniqueKey("sample-actuator-on");
		var args = SampleSupport.ownResources(this.dir, key);
		args.add("--management.endpoints.web.exposure.include=health,ipc,metrics");
		try (ConfigurableApplicationContext context = SampleSupport.run(args.toArray(String[]::new))) {
			String port = context.getEnvironment().getProperty("local.server.port");
			assertThat(status(HttpClient.newHttpClient(), port, "/actuator/ipc")).isEqualTo(200);
		}
	}

	private static int status(HttpClient http, String port, String path) throws Exception {
		return http
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
				.timeout(Duration.ofSeconds(10))
				.build(), HttpResponse.BodyHandlers.discarding())
			.statusCode();
	}

}
