package dev.ipcboot.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.timeout.ReadTimeoutException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.reactive.function.client.WebClientResponseException;

import dev.ipcboot.internal.IpcResourceSource;
import dev.ipcboot.IpcResourceStatus;
import dev.ipcboot.http.internal.HttpSocketWebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@code ipc.http.clients} with WebFlux present: WebClient beans on Reactor Netty talking
 * to Python's {@code http.server} on a Unix-domain socket, and their {@code ipc.client}
 * meters next to the RestClient's.
 */
class HttpWebClientTests {

	private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
	};

	private static final Duration BLOCK = Duration.ofSeconds(20);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(HttpAutoConfiguration.class, IpcMetricsAutoConfiguration.class))
		.withBean(MeterRegistry.class, SimpleMeterRegistry::new);

	@TempDir
	Path dir;

	private Path socket;

	private Process python;

	@BeforeEach
	void startPythonServer() throws IOException {
		Path script = this.dir.resolve("unix_http_server.py");
		try (var in = new ClassPathResource("http/unix_http_server.py").getInputStream()) {
			Files.copy(in, script);
		}
		this.socket = this.dir.resolve("py.sock");
		this.python = new ProcessBuilder("/usr/bin/python3", script.toString(), this.socket.toString())
			.redirectErrorStream(true)
			.redirectOutput(this.dir.resolve("python.log").toFile())
			.start();
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(Files.readString(this.dir.resolve("python.log"))).contains("listening"));
	}

	@AfterEach
	void stopPythonServer() throws InterruptedException {
		this.python.destroy();
		this.python.waitFor();
	}

	@Test
	void webClientGetsJsonWithBaseUrlHostAndPathPrefixOverTheSocket() {
		this.runner
			.withPropertyValues("ipc.http.clients.py.path=" + this.socket,
					"ipc.http.clients.py.base-url=http://backend.local/api")
			.run((context) -> {
				WebClient client = context.getBean("ipc.http.web-clients.py", WebClient.class);
				Map<String, Object> item = client.get().uri("/items/{id}", 7).retrieve().bodyToMono(JSON).block(BLOCK);
				assertThat(item).containsEntry("id", 7)
					.containsEntry("name", "widget")
					.containsEntry("host", "backend.local");
			});
	}

	@Test
	void webClientPostsJsonAndReadsTheCreatedStatus() {
		this.runner
			.withPropertyValues("ipc.http.clients.py.path=" + this.socket,
					"ipc.http.clients.py.base-url=http://localhost/api")
			.run((context) -> {
				WebClient client = context.getBean("ipc.http.web-clients.py", WebClient.class);
				ResponseEntity<Map<String, Object>> response = client.post()
					.uri("/echo")
					.contentType(MediaType.APPLICATION_JSON)
					.bodyValue(Map.of("order", 42))
					.retrieve()
					.toEntity(JSON)
					.block(BLOCK);
				assertThat(response.getStatusCode()).isEqualTo(HttpStatus.CREATED);
				assertThat(response.getBody()).containsEntry("received", Map.of("order", 42))
					.containsEntry("contentType", "application/json");
			});
	}

	@Test
	void requestForAMissingResourceRaisesNotFoundWithTheServersBody() {
		this.runner.withPropertyValues("ipc.http.clients.py.path=" + this.socket).run((context) -> {
			WebClient client = context.getBean("ipc.http.web-clients.py", WebClient.class);
			assertThatExceptionOfType(WebClientResponseException.NotFound.class)
				.isThrownBy(() -> client.get().uri("/nothing").retrieve().bodyToMono(String.class).block(BLOCK))
				.satisfies((ex) -> assertThat(ex.getResponseBodyAsString()).contains("no such resource: /nothing"));
		});
	}

	@Test
	void responseSlowerThanTheReadTimeoutFailsTheRequestAndTheNextOneWorks() {
		this.runner
			.withPropertyValues("ipc.http.clients.py.path=" + this.socket, "ipc.http.clients.py.read-timeout=300ms")
			.run((context) -> {
				WebClient client = context.getBean("ipc.http.web-clients.py", WebClient.class);
				assertThatExceptionOfType(WebClientRequestException.class)
					.isThrownBy(() -> client.get().uri("/api/slow/3").retrieve().bodyToMono(String.class).block(BLOCK))
					.withRootCauseInstanceOf(ReadTimeoutException.class);
				assertThat(client.get().uri("/api/items/2").retrieve().bodyToMono(JSON).block(BLOCK))
					.containsEntry("id", 2);
			});
	}

	@Test
	void missingSocketFileFailsTheRequestNamingThePath() {
		Path absent = this.dir.resolve("absent.sock");
		this.runner.withPropertyValues("ipc.http.clients.gone.path=" + absent).run((context) -> {
			WebClient client = context.getBean("ipc.http.web-clients.gone", WebClient.class);
			assertThatExceptionOfType(WebClientRequestException.class)
				.isThrownBy(() -> client.get().uri("/").retrieve().bodyToMono(String.class).block(BLOCK))
				.withMessageContaining(absent.toString());
			assertThat(context.getBean(HttpSocketWebClient.class).state().status()).isEqualTo(IpcResourceStatus.DOWN);
		});
	}

	@Test
	void bothClientsAreQualifiedByTheNameTimedAsIpcClientMetersAndListed() {
		this.runner.withPropertyValues("ipc.http.clients.py.path=" + this.socket)
			.withBean(Callers.class)
			.run((context) -> {
				Callers callers = context.getBean(Callers.class);
				callers.rest.get().uri("/api/items/1").retrieve().toBodilessEntity();
				callers.web.get().uri("/api/items/2").retrieve().toBodilessEntity().block(BLOCK);
				callers.web.get().uri("/api/items/3").retrieve().toBodilessEntity().block(BLOCK);
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get("ipc.client")
					.tags("client", "http-py", "transport", "local", "outcome", "success")
					.timer()
					.count()).isEqualTo(3);
				List<IpcResourceSource> sources = List.copyOf(context.getBeansOfType(IpcResourceSource.class).values());
				assertThat(sources).flatExtracting(IpcResourceSource::resources)
					.extracting((resource) -> resource.kind() + " " + resource.name() + " " + resource.state().status())
					.containsExactlyInAnyOrder("http local client py UP", "http local web client py UP");
				assertThat(threadsNamed("ipc-http-py-reactive")).isNotEmpty();
			});
		await().atMost(Duration.ofSeconds(20)).until(() -> threadsNamed("ipc-http-py").isEmpty());
	}

	private static List<String> threadsNamed(String prefix) {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.map(Thread::getName)
			.filter((name) -> name.startsWith(prefix))
			.toList();
	}

	static class Callers {

		final RestClient rest;

		final WebClient web;

		Callers(@Qualifier("py") RestClient rest, @Qualifier("py") WebClient web) {
			this.rest = rest;
			this.web = web;
		}

	}

}
