package dev.ipcboot.autoconfigure;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.coyote.AbstractProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import dev.ipcboot.IpcConfigurationException;
import dev.ipcboot.http.HttpPeer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@code ipc.http.server}: a real Tomcat also listening on a Unix-domain socket, called
 * with curl (as this user and, through setpriv, as another), and with the starter's own
 * RestClient. The subclasses run the same tests on Jetty and on Reactor Netty.
 */
@ExtendWith(OutputCaptureExtension.class)
class HttpServerSocketTests {

	/**
	 * The application the tests start, with its server.
	 * @return a builder of the application
	 */
	SpringApplicationBuilder application() {
		return new SpringApplicationBuilder(App.class).web(WebApplicationType.SERVLET);
	}

	/**
	 * Command-line arguments of the application.
	 * @return the arguments
	 */
	String[] arguments() {
		return new String[0];
	}

	/**
	 * The prefix of the names of the threads that serve only the socket (none when the
	 * server's own threads serve it).
	 * @return the prefix, or {@code null}
	 */
	String socketThreadPrefix() {
		return "http-ipc-unix";
	}

	@TempDir
	Path dir;

	@Test
	void healthAnswersCurlOverAnOwnerOnlySocketFileThatIsRemovedOnClose(CapturedOutput output) throws Exception {
		Path socket = this.dir.resolve("app.sock");
		try (ConfigurableApplicationContext context = start("ipc.http.server.path=" + socket)) {
			Curl health = curl(List.of(), socket, "/actuator/health");
			assertThat(health.exit()).isZero();
			assertThat(health.out()).contains("\"status\":\"UP\"");
			assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-------");
			assertThat(curl(List.of(), socket, "/actuator/ipc").out()).contains("http local server")
				.contains(socket.toString());
			if (socketThreadPrefix() != null) {
				assertThat(connectorThreads()).as("the socket connector's threads are named after it").isNotEmpty();
			}
			assertThat(hiddenEntries()).as("the bind directory next to the socket is private")
				.singleElement()
				.satisfies((bindDirectory) -> assertThat(
						PosixFilePermissions.toString(Files.getPosixFilePermissions(bindDirectory)))
					.isEqualTo("rwx------"));
		}
		assertThat(socket).doesNotExist();
		assertThat(hiddenEntries()).isEmpty();
		await().atMost(Duration.ofSeconds(20)).until(() -> connectorThreads().isEmpty());
		assertThat(output).as("Tomcat closes the socket once, without a failed delete")
			.doesNotContain("Failed to close server socket");
	}

	@Test
	void requestCarriesTheKernelsUidOfThePeerAndTcpRequestsDoNot() throws Exception {
		Path socket = this.dir.resolve("app.sock");
		try (ConfigurableApplicationContext context = start("ipc.http.server.path=" + socket,
				"ipc.http.clients.self.path=" + socket)) {
			int ownUid = (int) Files.getAttribute(socket, "unix:uid");
			RestClient self = context.getBean(Caller.class).self;
			assertThat(self.get().uri("/peer").retrieve().body(String.class)).isEqualTo("uid " + ownUid);
			WebClient reactiveSelf = context.getBean(Caller.class).reactiveSelf;
			assertThat(
					reactiveSelf.get().uri("/peer").retrieve().bodyToMono(String.class).block(Duration.ofSeconds(20)))
				.isEqualTo("uid " + ownUid);
			String port = context.getEnvironment().getProperty("local.server.port");
			assertThat(
					RestClient.create().get().uri("http://127.0.0.1:" + port + "/peer").retrieve().body(String.class))
				.isEqualTo("none");
		}
	}

	@Test
	void connectionsAndRefusedPeersAreIpcMetersNextToBootsRequestMetrics() throws Exception {
		Path socket = this.dir.resolve("app.sock");
		Files.setPosixFilePermissions(this.dir, PosixFilePermissions.fromString("rwxr-xr-x"));
		int ownUid = (int) Files.getAttribute(this.dir, "unix:uid");
		try (ConfigurableApplicationContext context = start("ipc.http.server.path=" + socket,
				"ipc.http.server.permissions=world", "ipc.http.server.allowed-uids=" + ownUid)) {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(curl(List.of(), socket, "/peer").out()).isEqualTo("uid " + ownUid);
			try (SocketChannel idle = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
				await().atMost(Duration.ofSeconds(20))
					.until(() -> registry.get("ipc.connections").tag("channel", "http-server").gauge().value() == 1);
			}
			await().atMost(Duration.ofSeconds(20))
				.until(() -> registry.get("ipc.connections").tag("channel", "http-server").gauge().value() == 0);
			curl(List.of("setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups"), socket, "/peer");
			assertThat(registry.get("ipc.connection.failures")
				.tags("channel", "http-server", "transport", "local", "reason", "peer-rejected")
				.counter()
				.count()).isEqualTo(1);
			await().atMost(Duration.ofSeconds(20))
				.untilAsserted(
						() -> assertThat(registry.get("http.server.requests").tag("uri", "/peer").timer().count())
							.isEqualTo(1));
		}
	}

	@Test
	void anotherUidOutsideAllowedUidsIsRefusedThoughTheFileModeLetsItIn() throws Exception {
		Path socket = this.dir.resolve("app.sock");
		Files.setPosixFilePermissions(this.dir, PosixFilePermissions.fromString("rwxr-xr-x"));
		int ownUid = (int) Files.getAttribute(this.dir, "unix:uid");
		try (ConfigurableApplicationContext context = start("ipc.http.server.path=" + socket,
				"ipc.http.server.permissions=world", "ipc.http.server.allowed-uids=" + ownUid)) {
			Curl nobody = curl(List.of("setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups"), socket,
					"/actuator/health");
			// refused at once: the server closes the connection, so curl does not wait
			// for its --max-time (exit 28)
			assertThat(nobody.exit()).as("curl as uid 65534: %s", nobody.out()).isNotZero().isNotEqualTo(28);
			assertThat(nobody.out()).doesNotContain("UP");
			// Tomcat counts the connections it accepted and the one its acceptor waits
			// for: one, once the refused connection is counted down (two if it were left
			// counted as open; zero for a moment while the acceptor loops)
			await("a refused connection is not left counted as open").during(Duration.ofMillis(300))
				.atMost(Duration.ofSeconds(20))
				.until(() -> unixConnectionsCountedByTomcat(context), (count) -> count == 1 || count == -1);
			assertThat(curl(List.of(), socket, "/actuator/health").out()).contains("\"status\":\"UP\"");
			assertThat(curl(List.of(), socket, "/actuator/ipc").out()).contains("\"refusedConnections\":1");
		}
		try (ConfigurableApplicationContext context = start("ipc.http.server.path=" + socket,
				"ipc.http.server.permissions=world", "ipc.http.server.allowed-uids=" + ownUid + ",65534")) {
			Curl nobody = curl(List.of("setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups"), socket,
					"/peer");
			assertThat(nobody.out()).isEqualTo("uid 65534");
		}
	}

	@Test
	void separateManagementServerStaysOnTcpWhileTheApplicationServesTheSocket() throws Exception {
		Path socket = this.dir.resolve("app.sock");
		try (ConfigurableApplicationContext context = start("ipc.http.server.path=" + socket,
				"management.server.port=0", "management.server.address=127.0.0.1")) {
			assertThat(curl(List.of(), socket, "/peer").out()).startsWith("uid ");
			assertThat(curl(List.of(), socket, "/actuator/health").out()).doesNotContain("\"status\":\"UP\"");
			String managementPort = context.getEnvironment().getProperty("local.management.port");
			assertThat(RestClient.create()
				.get()
				.uri("http://127.0.0.1:" + managementPort + "/actuator/health")
				.retrieve()
				.body(String.class)).contains("\"status\":\"UP\"");
		}
		assertThat(socket).doesNotExist();
	}

	@Test
	void staleSocketFileLeftByAKilledProcessIsReplacedAtStart() throws Exception {
		Path socket = this.dir.resolve("app.sock");
		Process holder = listenWithPython(socket);
		holder.destroyForcibly().waitFor();
		assertThat(socket).as("kill -9 leaves the file").exists();
		try (ConfigurableApplicationContext context = start("ipc.http.server.path=" + socket)) {
			assertThat(curl(List.of(), socket, "/actuator/health").out()).contains("\"status\":\"UP\"");
		}
		assertThat(socket).doesNotExist();
	}

	@Test
	void bindDirectoryLeftByAKilledServerIsRemovedAtStartButOneWithoutASocketIsLeftAlone() throws Exception {
		Path socket = this.dir.resolve("app.sock");
		Path leftover = Files.createDirectory(this.dir.resolve(".app.sock.123"),
				PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
		Process holder = listenWithPython(leftover.resolve("s"));
		holder.destroyForcibly().waitFor();
		Path binding = Files.createDirectory(this.dir.resolve(".app.sock.456"),
				PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
		try (ConfigurableApplicationContext context = start("ipc.http.server.path=" + socket)) {
			assertThat(curl(List.of(), socket, "/actuator/health").out()).contains("\"status\":\"UP\"");
			assertThat(leftover).as("a killed server's directory, its socket dead").doesNotExist();
			assertThat(binding).as("maybe another server's, about to bind").exists();
		}
	}

	@Test
	void pathALiveProcessListensOnFailsStartNamingThePropertyAndLeavesItsFile() throws Exception {
		Path socket = this.dir.resolve("app.sock");
		Process holder = listenWithPython(socket);
		try {
			assertThatExceptionOfType(Exception.class).isThrownBy(() -> start("ipc.http.server.path=" + socket))
				.havingRootCause()
				.isInstanceOf(IllegalStateException.class)
				.withMessageContaining(socket + " is served by another live process");
			assertThat(socket).exists();
		}
		finally {
			holder.destroyForcibly().waitFor();
		}
	}

	@Test
	void relativeServerPathFailsStartNamingTheProperty() {
		assertThatExceptionOfType(Exception.class).isThrownBy(() -> start("ipc.http.server.path=app.sock"))
			.havingRootCause()
			.isInstanceOf(IpcConfigurationException.class)
			.withMessageContaining("ipc.http.server.path");
	}

	ConfigurableApplicationContext start(String... properties) {
		List<String> all = new ArrayList<>(List.of("server.port=0", "server.address=127.0.0.1",
				"management.endpoints.web.exposure.include=health,ipc", "spring.main.banner-mode=off"));
		all.addAll(List.of(properties));
		return application().properties(all.toArray(String[]::new)).run(arguments());
	}

	Process listenWithPython(Path socket) throws IOException {
		Process process = new ProcessBuilder("/usr/bin/python3", "-c",
				"import socket,sys,time; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(); "
						+ "print('listening', flush=True); time.sleep(600)",
				socket.toString())
			.redirectErrorStream(true)
			.start();
		await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(socket));
		return process;
	}

	private List<String> connectorThreads() {
		String prefix = socketThreadPrefix();
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.map(Thread::getName)
			.filter((name) -> prefix != null && name.startsWith(prefix))
			.toList();
	}

	private List<Path> hiddenEntries() throws IOException {
		try (Stream<Path> entries = Files.list(this.dir)) {
			return entries.filter((path) -> path.getFileName().toString().startsWith(".")).toList();
		}
	}

	/**
	 * The connections Tomcat counts as open on the socket's connector (its
	 * {@code maxConnections} limit counts these), or -1 on another server.
	 */
	private static long unixConnectionsCountedByTomcat(ConfigurableApplicationContext context) {
		if (!(((WebServerApplicationContext) context).getWebServer() instanceof TomcatWebServer tomcat)) {
			return -1;
		}
		return Stream.of(tomcat.getTomcat().getService().findConnectors())
			.filter((connector) -> connector.getLocalPort() < 0)
			.map((connector) -> ((AbstractProtocol<?>) connector.getProtocolHandler()).getConnectionCount())
			.findFirst()
			.orElseThrow(() -> new AssertionError("no connector of Tomcat's serves the socket file"));
	}

	static Curl curl(List<String> as, Path socket, String path) throws Exception {
		List<String> command = new ArrayList<>(as);
		command.addAll(List.of("curl", "-sS", "--max-time", "20", "--unix-socket", socket.toString(),
				"http://localhost" + path));
		Process process;
		try {
			process = new ProcessBuilder(command).redirectErrorStream(true).start();
		}
		catch (IOException ex) {
			throw new IllegalStateException("curl and setpriv are needed by this test: " + ex.getMessage(), ex);
		}
		String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
		return new Curl(process.exitValue(), out);
	}

	record Curl(int exit, String out) {
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

		@Bean
		PeerController peerController() {
			return new PeerController();
		}

		@Bean
		Caller caller(@Qualifier("self") ObjectProvider<RestClient> self,
				@Qualifier("self") ObjectProvider<WebClient> reactiveSelf) {
			return new Caller(self.getIfAvailable(RestClient::create), reactiveSelf.getIfAvailable(WebClient::create));
		}

	}

	@RestController
	static class PeerController {

		@GetMapping("/peer")
		String peer(HttpServletRequest request) {
			Object peer = request.getAttribute(HttpPeer.ATTRIBUTE);
			return (peer instanceof HttpPeer httpPeer) ? "uid " + httpPeer.uid() : "none";
		}

	}

	static final class Caller {

		final RestClient self;

		final WebClient reactiveSelf;

		Caller(RestClient self, WebClient reactiveSelf) {
			this.self = self;
			this.reactiveSelf = reactiveSelf;
		}

	}

}
