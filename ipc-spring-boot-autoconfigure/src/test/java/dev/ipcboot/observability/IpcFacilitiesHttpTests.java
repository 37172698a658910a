package dev.ipcboot.observability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

import dev.ipcboot.dbus.BusConnection;
import dev.ipcboot.dbus.DBusTemplate;
import dev.ipcboot.dbus.internal.BusConnectionAccess;
import dev.ipcboot.dbus.internal.PrivateBusDaemon;
import dev.ipcboot.listener.IpcListener;
import dev.ipcboot.process.ManagedProcess;
import dev.ipcboot.process.ProcessManager;
import dev.ipcboot.socket.IpcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every facility for real behind Boot's own Actuator, meter registry and web server on a
 * random port: a local socket server with a client of it, a private D-Bus bus with a
 * signal subscription, and a supervised child process. Health shows each under
 * {@code ipc} and turns DOWN when the child is killed for good and the bus daemon dies;
 * meters move with traffic; the {@code ipc} endpoint lists every channel with its state.
 * The methods run in order because the last one breaks the resources for good.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=health,ipc,metrics",
				"management.endpoint.health.show-details=always", "ipc.servers.orders.transport=local",
				"ipc.servers.orders.framing=line", "ipc.clients.orders.transport=local",
				"ipc.clients.orders.framing=line", "ipc.dbus.bus=private", "ipc.dbus.reconnect.enabled=false",
				"ipc.dbus.signals.desk-orders.interface=dev.ipcboot.test.Desk",
				"ipc.dbus.signals.desk-orders.member=OrderPlaced",
				"ipc.processes.worker.command=/bin/sh,-c,echo ready; exec sleep 600",
				"ipc.processes.worker.restart=on-failure", "ipc.processes.worker.restart-delay=100ms",
				"ipc.processes.worker.restart-max-delay=100ms", "ipc.processes.worker.max-restarts=1",
				"ipc.processes.worker.restart-window=10m", "ipc.processes.worker.output=separate",
				"ipc.processes.worker.stop-timeout=2s" })
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
// closed after the class, so that its threads, child and bus daemon do not outlive it in
// the test context cache while other classes check for leaks
@DirtiesContext
class IpcFacilitiesHttpTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final Path directory = createDirectory();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@LocalServerPort
	private int port;

	@Autowired
	@Qualifier("orders")
	private IpcClient client;

	@Autowired
	private DBusTemplate dbus;

	@Autowired
	private BusConnection bus;

	@Autowired
	private ProcessManager processes;

	@Autowired
	private Listeners listeners;

	@DynamicPropertySource
	static void socketPath(DynamicPropertyRegistry registry) {
		registry.add("ipc.servers.orders.path", () -> directory.resolve("orders.sock").toString());
		registry.add("ipc.clients.orders.path", () -> directory.resolve("orders.sock").toString());
	}

	@AfterAll
	static void removeDirectory() throws IOException {
		FileSystemUtils.deleteRecursively(directory);
	}

	@Test
	@Order(1)
	void healthShowsServerClientBusAndProcessUnderIpc() throws Exception {
		assertThat(this.client.request("tea", String.class)).isEqualTo("accepted tea");
		await().until(() -> this.listeners.lines.contains("ready"));
		HttpResponse<String> response = get("/actuator/health");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		JsonNode ipc = json.readTree(response.body()).at("/components/ipc");
		assertThat(ipc.at("/status").asString()).isEqualTo("UP");
		assertThat(ipc.at("/components/local-server/components/orders/status").asString()).isEqualTo("UP");
		assertThat(ipc.at("/components/local-server/components/orders/details/path").asString())
			.isEqualTo(directory.resolve("orders.sock").toString());
		assertThat(ipc.at("/components/local-client/components/orders/status").asString()).isEqualTo("UP");
		assertThat(ipc.at("/components/d-bus-connection/components/dbus/status").asString()).isEqualTo("UP");
		assertThat(ipc.at("/components/d-bus-connection/components/dbus/details/uniqueName").asString())
			.startsWith(":");
		JsonNode worker = ipc.at("/components/process/components/worker");
		assertThat(worker.at("/status").asString()).isEqualTo("UP");
		assertThat(worker.at("/details/pid").asLong()).isEqualTo(workerPid());
		assertThat(worker.at("/details/restarts").asInt()).isZero();
	}

	@Test
	@Order(2)
	void ipcEndpointListsEveryConfiguredChannelWithItsState() throws Exception {
		HttpResponse<String> response = get("/actuator/ipc");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		JsonNode channels = json.readTree(response.body()).at("/channels");
		assertThat(channels.at("/orders/kind").asString()).isEqualTo("local server");
		assertThat(channels.at("/orders/property").asString()).isEqualTo("ipc.servers.orders");
		assertThat(channels.at("/orders/status").asString()).isEqualTo("UP");
		assertThat(channels.at("/orders/listeners/0").asString()).endsWith("Listeners.order(String)");
		assertThat(channels.at("/desk-orders/kind").asString()).isEqualTo("D-Bus signal");
		assertThat(channels.at("/desk-orders/status").asString()).isEqualTo("UP");
		assertThat(channels.at("/desk-orders/details/member").asString()).isEqualTo("OrderPlaced");
		assertThat(channels.at("/worker/kind").asString()).isEqualTo("process");
		assertThat(channels.at("/worker/status").asString()).isEqualTo("UP");
		assertThat(channels.at("/worker/details/pid").asLong()).isEqualTo(workerPid());
		JsonNode resources = json.readTree(response.body()).at("/resources");
		assertThat(resources.findValuesAsString("kind")).contains("local server", "local client", "D-Bus connection",
				"process");
	}

	@Test
	@Order(3)
	void metersMoveWithTraffic() throws Exception {
		String messagesIn = "/actuator/metrics/ipc.messages?tag=channel:orders&tag=direction:in";
		String listenerCalls = "/actuator/metrics/ipc.listener?tag=channel:orders&tag=outcome:success";
		String clientCalls = "/actuator/metrics/ipc.client?tag=client:orders&tag=outcome:success";
		String signalsIn = "/actuator/metrics/ipc.messages?tag=channel:desk-orders&tag=direction:in";
		double messagesBefore = measurement(messagesIn, "COUNT");
		double listenerBefore = measurement(listenerCalls, "COUNT");
		double clientBefore = measurement(clientCalls, "COUNT");
		int n = 7;
		for (int i = 0; i < n; i++) {
			assertThat(this.client.request("order " + i, String.class)).isEqualTo("accepted order " + i);
		}
		assertThat(measurement(messagesIn, "COUNT") - messagesBefore).isEqualTo(n);
		assertThat(measurement(listenerCalls, "COUNT") - listenerBefore).isEqualTo(n);
		assertThat(measurement(clientCalls, "COUNT") - clientBefore).isEqualTo(n);

		this.dbus.emit("/orders", "dev.ipcboot.test.Desk", "OrderPlaced", "s", "coffee");
		await().until(() -> this.listeners.signals.contains("coffee"));
		assertThat(measurement(signalsIn, "COUNT")).isEqualTo(1);
		assertThat(measurement("/actuator/metrics/ipc.dbus.signals?tag=member:OrderPlaced&tag=direction:out", "COUNT"))
			.isEqualTo(1);
		assertThat(measurement("/actuator/metrics/ipc.dbus.signals?tag=member:OrderPlaced&tag=direction:in", "COUNT"))
			.isEqualTo(1);
		this.dbus.call("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "GetId", "");
		assertThat(measurement("/actuator/metrics/ipc.dbus.calls?tag=member:GetId&tag=outcome:success", "COUNT"))
			.isEqualTo(1);
		assertThat(measurement("/actuator/metrics/ipc.messages?tag=channel:worker&tag=direction:in", "COUNT"))
			.isGreaterThanOrEqualTo(1);
	}

	@Test
	@Order(4)
	void aCrashRaisesTheRestartCounterAndHealthTurnsDownWhenResourcesFailForGood() throws Exception {
		String restarts = "/actuator/metrics/ipc.process.restarts?tag=process:worker";
		long first = workerPid();
		ProcessHandle.of(first).orElseThrow().destroyForcibly();
		await().until(() -> workerPid() != first && workerPid() > 0 && isUp("/components/process/components/worker"));
		assertThat(measurement(restarts, "COUNT")).isEqualTo(1);
		assertThat(measurement("/actuator/metrics/ipc.process.exits?tag=process:worker&tag=outcome:crashed", "COUNT"))
			.isEqualTo(1);

		// max-restarts is 1: the second crash within the window makes supervision give up
		ProcessHandle.of(workerPid()).orElseThrow().destroyForcibly();
		PrivateBusDaemon daemon = BusConnectionAccess.privateDaemon(this.bus);
		assertThat(daemon).isNotNull();
		ProcessHandle.of(daemon.pid()).orElseThrow().destroyForcibly();

		await().untilAsserted(() -> {
			HttpResponse<String> response = get("/actuator/health");
			assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
			JsonNode ipc = json.readTree(response.body()).at("/components/ipc");
			assertThat(ipc.at("/status").asString()).isEqualTo("DOWN");
			assertThat(ipc.at("/components/process/components/worker/status").asString()).isEqualTo("DOWN");
			assertThat(ipc.at("/components/process/components/worker/details/reason").asString())
				.contains("killed by signal 9", "gave up after 1 restarts");
			assertThat(ipc.at("/components/d-bus-connection/components/dbus/status").asString()).isEqualTo("DOWN");
			assertThat(ipc.at("/components/local-server/components/orders/status").asString()).isEqualTo("UP");
		});
	}

	private long workerPid() {
		return this.processes.find("worker").map(ManagedProcess::pid).orElse(-1L);
	}

	private boolean isUp(String pointer) throws Exception {
		JsonNode ipc = json.readTree(get("/actuator/health/ipc").body());
		return ipc.at(pointer + "/status").asString().equals("UP");
	}

	private double measurement(String path, String statistic) throws Exception {
		HttpResponse<String> response = get(path);
		assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
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

	private static Path createDirectory() {
		try {
			return Files.createTempDirectory("ipc-health");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

		@Bean
		Listeners listeners() {
			return new Listeners();
		}

	}

	static class Listeners {

		final List<String> lines = new CopyOnWriteArrayList<>();

		final List<String> signals = new CopyOnWriteArrayList<>();

		@IpcListener("orders")
		String order(String order) {
			return "accepted " + order;
		}

		@IpcListener("worker")
		void line(String line) {
			this.lines.add(line);
		}

		@IpcListener("desk-orders")
		void orderPlaced(String item) {
			this.signals.add(item);
		}

	}

}
