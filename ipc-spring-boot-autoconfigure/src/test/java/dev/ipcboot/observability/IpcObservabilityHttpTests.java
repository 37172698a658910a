package dev.ipcboot.observability;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole application over real HTTP on a random port, with Boot's own Actuator, meter
 * registry and web server: {@code /actuator/health} shows each resource under {@code ipc}
 * and turns DOWN when one fails, {@code /actuator/ipc} lists channels and resources, and
 * {@code /actuator/metrics} sees the meters move with traffic.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=health,ipc,metrics",
				"management.endpoint.health.show-details=always",
				// only the fake facility's resources: the real ones are in
				// IpcFacilitiesHttpTests
				"ipc.dbus.enabled=false" })
class IpcObservabilityHttpTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@LocalServerPort
	private int port;

	@Autowired
	private FakeServer server;

	@Autowired
	private FakeProcess worker;

	@AfterEach
	void allRunningAgain() {
		this.worker.running();
	}

	@Test
	void healthShowsEachResourceUnderIpcAndTurnsDownWhenAProcessGivesUp() throws Exception {
		HttpResponse<String> healthy = get("/actuator/health");
		assertThat(healthy.statusCode()).isEqualTo(200);
		JsonNode ipc = json.readTree(healthy.body()).at("/components/ipc");
		assertThat(ipc.at("/status").asString()).isEqualTo("UP");
		assertThat(ipc.at("/components/local-server/components/orders/status").asString()).isEqualTo("UP");
		assertThat(ipc.at("/components/local-server/components/orders/details/path").asString())
			.isEqualTo("/run/test/orders.sock");
		assertThat(ipc.at("/components/process/components/worker/details/pid").asInt()).isEqualTo(4242);

		this.worker.gaveUp();
		HttpResponse<String> unhealthy = get("/actuator/health");
		assertThat(unhealthy.statusCode()).isEqualTo(503);
		JsonNode body = json.readTree(unhealthy.body());
		assertThat(body.at("/status").asString()).isEqualTo("DOWN");
		assertThat(body.at("/components/ipc/status").asString()).isEqualTo("DOWN");
		assertThat(body.at("/components/ipc/components/process/components/worker/details/reason").asString())
			.contains("after 5 restarts");
		assertThat(body.at("/components/ipc/components/local-server/components/orders/status").asString())
			.isEqualTo("UP");
	}

	@Test
	void aRestartingProcessTakesTheApplicationOutOfService() throws Exception {
		this.worker.restarting();
		HttpResponse<String> response = get("/actuator/health/ipc");
		assertThat(response.statusCode()).isEqualTo(503);
		assertThat(json.readTree(response.body()).at("/components/process/components/worker/status").asString())
			.isEqualTo("OUT_OF_SERVICE");
	}

	@Test
	void ipcEndpointListsChannelsWithListenersAndResourcesWithState() throws Exception {
		HttpResponse<String> response = get("/actuator/ipc");
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode body = json.readTree(response.body());
		assertThat(body.at("/channels/orders/kind").asString()).isEqualTo("local server");
		assertThat(body.at("/channels/orders/status").asString()).isEqualTo("UP");
		assertThat(body.at("/channels/orders/listeners/0").asString())
			.isEqualTo(FakeFacility.Orders.class.getName() + ".handle(String)");
		JsonNode worker = null;
		for (JsonNode resource : body.at("/resources")) {
			if (resource.at("/name").asString().equals("worker")) {
				worker = resource;
			}
		}
		assertThat(worker).as("resource 'worker' in " + body.at("/resources")).isNotNull();
		assertThat(worker.at("/kind").asString()).isEqualTo("process");
		assertThat(worker.at("/details/restarts").asInt()).isZero();
	}

	@Test
	void ipcEndpointSelectsOneNameAndAnswers404ForAnUnknownOne() throws Exception {
		HttpResponse<String> worker = get("/actuator/ipc/worker");
		assertThat(worker.statusCode()).isEqualTo(200);
		assertThat(json.readTree(worker.body()).at("/resources/0/details/pid").asInt()).isEqualTo(4242);
		assertThat(get("/actuator/ipc/nonexistent").statusCode()).isEqualTo(404);
	}

	@Test
	void metersMoveWithTraffic() throws Exception {
		String messagesIn = "/actuator/metrics/ipc.messages?tag=channel:orders&tag=direction:in";
		String invocations = "/actuator/metrics/ipc.listener?tag=channel:orders&tag=outcome:success";
		double messagesBefore = measurement(messagesIn, "COUNT");
		double invocationsBefore = measurement(invocations, "COUNT");
		int n = 7;
		for (int i = 0; i < n; i++) {
			assertThat(this.server.deliver("tea")).succeedsWithin(Duration.ofSeconds(5));
		}
		assertThat(measurement(messagesIn, "COUNT") - messagesBefore).isEqualTo(n);
		assertThat(measurement(invocations, "COUNT") - invocationsBefore).isEqualTo(n);
	}

	private double measurement(String path, String statistic) throws Exception {
		HttpResponse<String> response = get(path);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		for (JsonNode sample : json.readTree(response.body()).at("/measurements")) {
			if (sample.at("/statistic").asString().equals(statistic)) {
				return sample.at("/value").asDouble();
			}
		}
		throw new AssertionError("no " + statistic + " in " + response.body());
	}

	private HttpResponse<String> get(String path) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(10))
			.build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(FakeFacility.class)
	static class App {

	}

}
