package dev.ipcboot.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.http.client.JettyClientHttpRequestFactory;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

/**
 * HTTP over a Unix-domain socket versus loopback TCP: a small GET ({@code /ping}, 4 bytes
 * of body) to one Tomcat that listens on both, in the same run. The starter's
 * {@code RestClient} over the socket ({@code ipc.http.clients.bench}) against the same
 * RestClient and Jetty client over TCP (the transport is the only difference), and the
 * JDK's {@code HttpClient} over TCP as the plain-JDK baseline.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class HttpSocketBenchmark {

	private Path dir;

	private ConfigurableApplicationContext context;

	private RestClient overSocket;

	private org.eclipse.jetty.client.HttpClient jettyOverTcp;

	private RestClient overTcp;

	private HttpClient jdk;

	private HttpRequest jdkPing;

	@Setup(Level.Trial)
	public void setUp() throws Exception {
		this.dir = Files.createTempDirectory("ipc-bench-http");
		Path socket = this.dir.resolve("http.sock");
		SpringApplication app = new SpringApplication(HttpApplication.class);
		app.setWebApplicationType(WebApplicationType.SERVLET);
		app.setLogStartupInfo(false);
		this.context = app.run("--server.port=0", "--server.address=127.0.0.1", "--ipc.http.server.path=" + socket,
				"--ipc.http.clients.bench.path=" + socket, "--logging.level.root=warn");
		String tcp = "http://127.0.0.1:" + this.context.getEnvironment().getProperty("local.server.port");
		this.overSocket = this.context.getBean(HttpApplication.class).bench;
		this.jettyOverTcp = new org.eclipse.jetty.client.HttpClient();
		this.jettyOverTcp.start();
		this.overTcp = RestClient.builder()
			.baseUrl(tcp)
			.requestFactory(new JettyClientHttpRequestFactory(this.jettyOverTcp))
			.build();
		this.jdk = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		this.jdkPing = HttpRequest.newBuilder(URI.create(tcp + "/ping")).build();
	}

	@TearDown(Level.Trial)
	public void tearDown() throws Exception {
		this.jettyOverTcp.stop();
		this.context.close();
		Apps.delete(this.dir);
	}

	@Benchmark
	public String starterRestClientOverUnixSocket() {
		return this.overSocket.get().uri("/ping").retrieve().body(String.class);
	}

	@Benchmark
	public String sameRestClientOverLoopbackTcp() {
		return this.overTcp.get().uri("/ping").retrieve().body(String.class);
	}

	@Benchmark
	public String baselineJdkHttpClientOverLoopbackTcp() throws IOException, InterruptedException {
		return this.jdk.send(this.jdkPing, HttpResponse.BodyHandlers.ofString()).body();
	}

	/**
	 * The server under test: Tomcat on a loopback port and on {@code ipc.http.server}.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	public static class HttpApplication {

		private final RestClient bench;

		HttpApplication(@Qualifier("bench") RestClient bench) {
			this.bench = bench;
		}

		@Bean
		Ping ping() {
			return new Ping();
		}

	}

	/** Answers {@code pong}. */
	@RestController
	public static class Ping {

		@GetMapping("/ping")
		public String ping() {
			return "pong";
		}

	}

}
