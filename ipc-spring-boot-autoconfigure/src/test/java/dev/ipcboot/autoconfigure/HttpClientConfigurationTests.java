package dev.ipcboot.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import dev.ipcboot.IpcConfigurationException;
import dev.ipcboot.internal.IpcResourceSource;
import dev.ipcboot.IpcResourceStatus;
import dev.ipcboot.http.internal.HttpSocketClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@code ipc.http.clients}: RestClient beans talking to Python's {@code http.server} on a
 * Unix-domain socket.
 */
class HttpClientConfigurationTests {

	private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
	};

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(HttpAutoConfiguration.class));

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
	void restClientGetsJsonWithBaseUrlHostAndPathPrefixOverTheSocket() {
		this.runner
			.withPropertyValues("ipc.http.clients.py.path=" + this.socket,
					"ipc.http.clients.py.base-url=http://backend.local/api")
			.run((context) -> {
				RestClient client = context.getBean("ipc.http.clients.py", RestClient.class);
				Map<String, Object> item = client.get().uri("/items/{id}", 7).retrieve().body(JSON);
				assertThat(item).containsEntry("id", 7)
					.containsEntry("name", "widget")
					.containsEntry("host", "backend.local");
			});
	}

	@Test
	void restClientPostsJsonAndReadsTheCreatedStatus() {
		this.runner
			.withPropertyValues("ipc.http.clients.py.path=" + this.socket,
					"ipc.http.clients.py.base-url=http://localhost/api")
			.run((context) -> {
				RestClient client = context.getBean("ipc.http.clients.py", RestClient.class);
				ResponseEntity<Map<String, Object>> response = client.post()
					.uri("/echo")
					.contentType(MediaType.APPLICATION_JSON)
					.body(Map.of("order", 42))
					.retrieve()
					.toEntity(JSON);
				assertThat(response.getStatusCode()).isEqualTo(HttpStatus.CREATED);
				assertThat(response.getBody()).containsEntry("received", Map.of("order", 42))
					.containsEntry("contentType", "application/json");
			});
	}

	@Test
	void requestForAMissingResourceRaisesNotFoundWithTheServersBody() {
		this.runner.withPropertyValues("ipc.http.clients.py.path=" + this.socket).run((context) -> {
			RestClient client = context.getBean("ipc.http.clients.py", RestClient.class);
			assertThatExceptionOfType(HttpClientErrorException.NotFound.class)
				.isThrownBy(() -> client.get().uri("/nothing").retrieve().body(String.class))
				.satisfies((ex) -> assertThat(ex.getResponseBodyAsString()).contains("no such resource: /nothing"));
		});
	}

	@Test
	void clientIsListedUpWhileItsSocketExistsAndItsThreadsStopWithTheContext() {
		this.runner.withPropertyValues("ipc.http.clients.py.path=" + this.socket).run((context) -> {
			context.getBean("ipc.http.clients.py", RestClient.class)
				.get()
				.uri("/api/items/1")
				.retrieve()
				.toBodilessEntity();
			List<IpcResourceSource> sources = List.copyOf(context.getBeansOfType(IpcResourceSource.class).values());
			assertThat(sources).flatExtracting(IpcResourceSource::resources)
				.filteredOn((resource) -> resource.kind().equals("http local client"))
				.singleElement()
				.satisfies((resource) -> {
					assertThat(resource.name()).isEqualTo("py");
					assertThat(resource.state().status()).isEqualTo(IpcResourceStatus.UP);
				});
			assertThat(threadsNamed("ipc-http-py")).isNotEmpty();
		});
		await().atMost(Duration.ofSeconds(10)).until(() -> threadsNamed("ipc-http-py").isEmpty());
	}

	@Test
	void clientWhoseSocketFileIsMissingIsListedDown() {
		this.runner.withPropertyValues("ipc.http.clients.gone.path=" + this.dir.resolve("absent.sock"))
			.run((context) -> assertThat(context.getBean(HttpSocketClient.class).state().status())
				.isEqualTo(IpcResourceStatus.DOWN));
	}

	@Test
	void baseUrlThatIsNotHttpFailsNamingTheProperty() {
		this.runner
			.withPropertyValues("ipc.http.clients.py.path=" + this.socket, "ipc.http.clients.py.base-url=ftp://x")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(IpcConfigurationException.class)
				.hasMessageContaining("ipc.http.clients.py.base-url"));
	}

	@Test
	void relativePathFailsNamingTheProperty() {
		this.runner.withPropertyValues("ipc.http.clients.py.path=relative.sock")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(IpcConfigurationException.class)
				.hasMessageContaining("ipc.http.clients.py.path"));
	}

	@Test
	void withoutJettysClientNoRestClientBeanIsCreatedButTheWebClientIs() {
		this.runner.withClassLoader(new FilteredClassLoader("org.eclipse.jetty.client"))
			.withPropertyValues("ipc.http.clients.py.path=" + this.socket)
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(RestClient.class)
				.hasSingleBean(WebClient.class));
	}

	@Test
	void withNeitherJettysClientNorReactorNettyAConfiguredClientFailsNamingThePropertyAndTheLibraries() {
		this.runner.withClassLoader(new FilteredClassLoader("org.eclipse.jetty.client", "reactor.netty"))
			.withPropertyValues("ipc.http.clients.py.path=" + this.socket)
			.run((context) -> assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
				.isInstanceOf(IpcConfigurationException.class)
				.hasMessageContaining("ipc.http.clients.py.path")
				.satisfies((ex) -> assertThat(((IpcConfigurationException) ex).getAction()).contains("jetty-client")
					.contains("spring-boot-starter-webflux")));
	}

	@Test
	void responseSlowerThanTheReadTimeoutFailsTheRequest() {
		this.runner
			.withPropertyValues("ipc.http.clients.py.path=" + this.socket, "ipc.http.clients.py.read-timeout=300ms")
			.run((context) -> {
				RestClient client = context.getBean("ipc.http.clients.py", RestClient.class);
				assertThatExceptionOfType(ResourceAccessException.class)
					.isThrownBy(() -> client.get().uri("/api/slow/3").retrieve().body(String.class))
					.withRootCauseInstanceOf(TimeoutException.class);
				assertThat(client.get().uri("/api/items/2").retrieve().body(JSON)).containsEntry("id", 2);
			});
	}

	private static List<String> threadsNamed(String prefix) {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.map(Thread::getName)
			.filter((name) -> name.startsWith(prefix))
			.toList();
	}

}
