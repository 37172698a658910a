package dev.ipcboot.socket.internal;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.messaging.handler.annotation.Header;

import dev.ipcboot.listener.IpcListener;
import dev.ipcboot.socket.IpcClient;
import dev.ipcboot.socket.IpcClientException;
import dev.ipcboot.socket.IpcConnection;
import dev.ipcboot.socket.SocketHeaders;
import dev.ipcboot.testsupport.TcpPorts;
import dev.ipcboot.testsupport.Tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Mutual TLS ({@code client-auth}) against real peers: {@code openssl s_client} with and
 * without a client certificate, our own {@link IpcClient} presenting the key of its SSL
 * bundle, and a server certificate rotated on disk that the next connection is served
 * with ({@code reload-on-update}). Certificates come from {@code openssl} (a CA, a server
 * certificate for 127.0.0.1, a client certificate {@code CN=alice,O=Test}).
 */
class SocketServerMutualTlsTests {

	private static final String ALICE = "CN=alice,O=Test";

	@TempDir
	static Path dir;

	private static String openssl;

	@BeforeAll
	static void generateCertificates() throws Exception {
		openssl = Tools.require("openssl", "openssl").toString();
		run(openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
				file("ca.key"), "-out", file("ca.pem"), "-subj", "/CN=Test CA", "-days", "2");
		Files.writeString(dir.resolve("server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
		Files.writeString(dir.resolve("client.ext"), "extendedKeyUsage=clientAuth\n");
		issue("server", "/O=Original/CN=localhost", "server.ext");
		issue("rotated", "/O=Rotated/CN=localhost", "server.ext");
		issue("client", "/O=Test/CN=alice", "client.ext");
		issue("bob", "/O=Test/CN=bob", "client.ext");
		// the server's bundle reads these two; rotation overwrites them
		Files.copy(dir.resolve("server.pem"), dir.resolve("live.pem"));
		Files.copy(dir.resolve("server.key"), dir.resolve("live.key"));
	}

	private static void issue(String name, String subject, String extensions) throws Exception {
		run(openssl, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
				file(name + ".key"), "-out", file(name + ".csr"), "-subj", subject);
		run(openssl, "x509", "-req", "-in", file(name + ".csr"), "-CA", file("ca.pem"), "-CAkey", file("ca.key"),
				"-CAcreateserial", "-days", "2", "-extfile", file(extensions), "-out", file(name + ".pem"));
	}

	private static String file(String name) {
		return dir.resolve(name).toString();
	}

	private static void run(String... command) throws Exception {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor()).as(String.join(" ", command) + "\n" + output).isZero();
	}

	private ApplicationContextRunner server(String clientAuth) {
		return Servers.runner()
			.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
			.withBean(WhoListener.class)
			.withPropertyValues("ipc.servers.echo.transport=tcp", "ipc.servers.echo.port=0",
					"ipc.servers.echo.framing=line", "ipc.servers.echo.ssl-bundle=server",
					"ipc.servers.echo.client-auth=" + clientAuth,
					"spring.ssl.bundle.pem.server.keystore.certificate=file:" + file("live.pem"),
					"spring.ssl.bundle.pem.server.keystore.private-key=file:" + file("live.key"),
					"spring.ssl.bundle.pem.server.truststore.certificate=file:" + file("ca.pem"));
	}

	private static int port(org.springframework.context.ApplicationContext context) {
		return context.getEnvironment().getRequiredProperty("local.ipc.server.echo.port", Integer.class);
	}

	/**
	 * {@code openssl s_client}, sending {@code who}: its output, once the reply came or
	 * the process ended (at most 20 seconds).
	 */
	private static String sClient(int port, boolean withCertificate) throws Exception {
		List<String> command = new ArrayList<>(List.of(openssl, "s_client", "-connect", "127.0.0.1:" + port, "-CAfile",
				file("ca.pem"), "-verify_return_error", "-quiet"));
		if (withCertificate) {
			command.addAll(List.of("-cert", file("client.pem"), "-key", file("client.key")));
		}
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		try {
			OutputStream in = process.getOutputStream();
			in.write("who\n".getBytes(StandardCharsets.UTF_8));
			in.flush();
			StringBuilder output = new StringBuilder();
			CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
				try (BufferedReader lines = new BufferedReader(
						new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
					String line;
					while ((line = lines.readLine()) != null) {
						synchronized (output) {
							output.append(line).append('\n');
						}
						if (line.startsWith("subject=")) {
							return;
						}
					}
				}
				catch (java.io.IOException ex) {
					// the process was ended
				}
			});
			try {
				reader.get(20, TimeUnit.SECONDS);
			}
			catch (java.util.concurrent.TimeoutException ex) {
				throw new AssertionError("openssl s_client neither answered nor ended in 20 s: " + output);
			}
			synchronized (output) {
				return output.toString();
			}
		}
		finally {
			process.destroyForcibly();
			process.waitFor(10, TimeUnit.SECONDS);
		}
	}

	@Test
	void needServerRefusesOpensslWithoutCertificateAndServesItWithOneShowingTheSubject() {
		server("need").withBean(EventRecorder.class).run((context) -> {
			String refused = sClient(port(context), false);
			assertThat(refused).as("s_client without a certificate")
				.doesNotContain("subject=")
				.containsIgnoringCase("alert");
			System.out.println("[need, no certificate] " + refused);
			String served = sClient(port(context), true);
			// s_client sends its certificate and the CA's
			assertThat(served).contains("subject=" + ALICE + " chain=2 connection=" + ALICE);
		});
	}

	@Test
	void wantServerServesOpensslWithAndWithoutCertificateAndOmitsTheHeaderWithout() {
		server("want").run((context) -> {
			assertThat(sClient(port(context), false)).contains("subject=null chain=0 connection=null");
			assertThat(sClient(port(context), true)).contains("subject=" + ALICE + " chain=2 connection=" + ALICE);
		});
	}

	@Test
	void noneServerAsksForNoCertificate() {
		server("none").run(
				(context) -> assertThat(sClient(port(context), true)).contains("subject=null chain=0 connection=null"));
	}

	@Test
	void ipcClientsWithAKeyStoreBundleAreServedByANeedServer() throws Exception {
		// the clients in the server's context need its port before it starts
		TcpPorts
			.runOnFreePort(
					(port) -> server("need").withBean(Feed.class)
						.withPropertyValues("ipc.servers.echo.port=" + port, "ipc.clients.alice.transport=tcp",
								"ipc.clients.alice.host=127.0.0.1", "ipc.clients.alice.port=" + port,
								"ipc.clients.alice.framing=line", "ipc.clients.alice.ssl-bundle=alice",
								"ipc.clients.feed.transport=tcp", "ipc.clients.feed.host=127.0.0.1",
								"ipc.clients.feed.port=" + port, "ipc.clients.feed.framing=line",
								"ipc.clients.feed.subscribe=true", "ipc.clients.feed.ssl-bundle=alice",
								"spring.ssl.bundle.pem.alice.keystore.certificate=file:" + file("client.pem"),
								"spring.ssl.bundle.pem.alice.keystore.private-key=file:" + file("client.key"),
								"spring.ssl.bundle.pem.alice.truststore.certificate=file:" + file("ca.pem")),
					(context) -> {
						IpcClient client = context.getBean("ipc.clients.alice", IpcClient.class);
						assertThat(client.request("who", String.class))
							.isEqualTo("subject=" + ALICE + " chain=1 connection=" + ALICE);
						SocketIpcClient feed = context.getBean("ipc.clients.feed", SocketIpcClient.class);
						assertThat(feed.subscription()).isInstanceOf(EngineClientSubscription.class);
						SocketServer server = context.getBean(SocketServers.class).get("echo");
						await().atMost(Duration.ofSeconds(10)).until(feed::isSubscribed);
						await().atMost(Duration.ofSeconds(10))
							.until(() -> server.connections()
								.stream()
								.filter((connection) -> connection.peerCertificates() != null)
								.count() == 2);
						assertThat(server.broadcast("pushed")).isEqualTo(2);
						await().atMost(Duration.ofSeconds(10))
							.until(() -> context.getBean(Feed.class).received.contains("pushed"));
					});
	}

	@Test
	void ipcClientWithOnlyATrustStoreIsRefusedByANeedServer() throws Exception {
		// the clients in the server's context need its port before it starts
		TcpPorts.runOnFreePort((port) -> server("need").withPropertyValues("ipc.servers.echo.port=" + port,
				"ipc.clients.anon.transport=tcp", "ipc.clients.anon.host=127.0.0.1", "ipc.clients.anon.port=" + port,
				"ipc.clients.anon.framing=line", "ipc.clients.anon.ssl-bundle=anon",
				"ipc.clients.anon.request-timeout=5s",
				"spring.ssl.bundle.pem.anon.truststore.certificate=file:" + file("ca.pem")), (context) -> {
					IpcClient client = context.getBean("ipc.clients.anon", IpcClient.class);
					org.assertj.core.api.Assertions.assertThatExceptionOfType(IpcClientException.class)
						.isThrownBy(() -> client.request("who", String.class));
				});
	}

	@Test
	void serverCertificateRotatedOnDiskIsUsedByTheNextConnection() throws Exception {
		server("want")
			.withPropertyValues("spring.ssl.bundle.pem.server.reload-on-update=true",
					"spring.ssl.bundle.watch.file.quiet-period=200ms")
			.run((context) -> {
				int port = port(context);
				assertThat(servedSubject(port)).isEqualTo("CN=localhost,O=Original");
				Path key = dir.resolve("live.key.new");
				Path certificate = dir.resolve("live.pem.new");
				Files.copy(dir.resolve("rotated.key"), key, StandardCopyOption.REPLACE_EXISTING);
				Files.copy(dir.resolve("rotated.pem"), certificate, StandardCopyOption.REPLACE_EXISTING);
				Files.move(key, dir.resolve("live.key"), StandardCopyOption.REPLACE_EXISTING,
						StandardCopyOption.ATOMIC_MOVE);
				Files.move(certificate, dir.resolve("live.pem"), StandardCopyOption.REPLACE_EXISTING,
						StandardCopyOption.ATOMIC_MOVE);
				await().atMost(Duration.ofSeconds(30))
					.pollInterval(Duration.ofMillis(200))
					.until(() -> servedSubject(port).equals("CN=localhost,O=Rotated"));
				// and the rotated server still serves a client certificate's subject
				assertThat(sClient(port, true)).contains("subject=" + ALICE);
			});
		Files.copy(dir.resolve("server.pem"), dir.resolve("live.pem"), StandardCopyOption.REPLACE_EXISTING);
		Files.copy(dir.resolve("server.key"), dir.resolve("live.key"), StandardCopyOption.REPLACE_EXISTING);
	}

	@Test
	void clientCertificateRotatedOnDiskIsPresentedByTheNextConnection() throws Exception {
		Files.copy(dir.resolve("client.pem"), dir.resolve("mine.pem"), StandardCopyOption.REPLACE_EXISTING);
		Files.copy(dir.resolve("client.key"), dir.resolve("mine.key"), StandardCopyOption.REPLACE_EXISTING);
		// the clients in the server's context need its port before it starts
		TcpPorts.runOnFreePort((port) -> server("need").withPropertyValues("ipc.servers.echo.port=" + port,
				"ipc.clients.me.transport=tcp", "ipc.clients.me.host=127.0.0.1", "ipc.clients.me.port=" + port,
				"ipc.clients.me.framing=line", "ipc.clients.me.ssl-bundle=me", "ipc.clients.me.request-timeout=5s",
				"spring.ssl.bundle.pem.me.keystore.certificate=file:" + file("mine.pem"),
				"spring.ssl.bundle.pem.me.keystore.private-key=file:" + file("mine.key"),
				"spring.ssl.bundle.pem.me.truststore.certificate=file:" + file("ca.pem"),
				"spring.ssl.bundle.pem.me.reload-on-update=true", "spring.ssl.bundle.watch.file.quiet-period=200ms"),
				(context) -> {
					IpcClient client = context.getBean("ipc.clients.me", IpcClient.class);
					SocketServer server = context.getBean(SocketServers.class).get("echo");
					assertThat(client.request("who", String.class)).startsWith("subject=" + ALICE + " ");
					Path key = dir.resolve("mine.key.new");
					Path certificate = dir.resolve("mine.pem.new");
					Files.copy(dir.resolve("bob.key"), key, StandardCopyOption.REPLACE_EXISTING);
					Files.copy(dir.resolve("bob.pem"), certificate, StandardCopyOption.REPLACE_EXISTING);
					Files.move(key, dir.resolve("mine.key"), StandardCopyOption.REPLACE_EXISTING,
							StandardCopyOption.ATOMIC_MOVE);
					Files.move(certificate, dir.resolve("mine.pem"), StandardCopyOption.REPLACE_EXISTING,
							StandardCopyOption.ATOMIC_MOVE);
					// open connections keep alice's certificate; closing them makes the
					// client
					// open new ones, which present bob's once the bundle was reloaded
					await().atMost(Duration.ofSeconds(30))
						.pollInterval(Duration.ofMillis(300))
						.ignoreExceptions()
						.until(() -> {
							server.connections().forEach(IpcConnection::close);
							return client.request("who", String.class).startsWith("subject=CN=bob,O=Test ");
						});
				});
	}

	@Test
	void subscribingClientPresentsARotatedCertificateWhenItReconnects() throws Exception {
		Files.copy(dir.resolve("client.pem"), dir.resolve("sub.pem"), StandardCopyOption.REPLACE_EXISTING);
		Files.copy(dir.resolve("client.key"), dir.resolve("sub.key"), StandardCopyOption.REPLACE_EXISTING);
		// the clients in the server's context need its port before it starts
		TcpPorts.runOnFreePort((port) -> server("need").withBean(Feed.class)
			.withPropertyValues("ipc.servers.echo.port=" + port, "ipc.clients.feed.transport=tcp",
					"ipc.clients.feed.host=127.0.0.1", "ipc.clients.feed.port=" + port, "ipc.clients.feed.framing=line",
					"ipc.clients.feed.subscribe=true", "ipc.clients.feed.ssl-bundle=sub",
					"ipc.clients.feed.reconnect-delay=50ms", "ipc.clients.feed.reconnect-max-delay=200ms",
					"spring.ssl.bundle.pem.sub.keystore.certificate=file:" + file("sub.pem"),
					"spring.ssl.bundle.pem.sub.keystore.private-key=file:" + file("sub.key"),
					"spring.ssl.bundle.pem.sub.truststore.certificate=file:" + file("ca.pem"),
					"spring.ssl.bundle.pem.sub.reload-on-update=true",
					"spring.ssl.bundle.watch.file.quiet-period=200ms"),
				(context) -> {
					SocketServer server = context.getBean(SocketServers.class).get("echo");
					await().atMost(Duration.ofSeconds(10)).until(() -> subjects(server).equals(List.of(ALICE)));
					Path key = dir.resolve("sub.key.new");
					Path certificate = dir.resolve("sub.pem.new");
					Files.copy(dir.resolve("bob.key"), key, StandardCopyOption.REPLACE_EXISTING);
					Files.copy(dir.resolve("bob.pem"), certificate, StandardCopyOption.REPLACE_EXISTING);
					Files.move(key, dir.resolve("sub.key"), StandardCopyOption.REPLACE_EXISTING,
							StandardCopyOption.ATOMIC_MOVE);
					Files.move(certificate, dir.resolve("sub.pem"), StandardCopyOption.REPLACE_EXISTING,
							StandardCopyOption.ATOMIC_MOVE);
					await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() -> {
						if (subjects(server).equals(List.of("CN=bob,O=Test"))) {
							return true;
						}
						server.connections().forEach(IpcConnection::close);
						return false;
					});
				});
	}

	private static List<String> subjects(SocketServer server) {
		return server.connections()
			.stream()
			.map(IpcConnection::peerCertificates)
			.map((chain) -> (chain != null) ? chain[0].getSubjectX500Principal().getName() : "none")
			.toList();
	}

	/** The subject of the certificate a new connection is served with. */
	private static String servedSubject(int port) throws Exception {
		KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
		trust.load(null, null);
		try (InputStream in = Files.newInputStream(dir.resolve("ca.pem"))) {
			trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
		}
		TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		trustManagers.init(trust);
		SSLContext ssl = SSLContext.getInstance("TLS");
		ssl.init(null, trustManagers.getTrustManagers(), null);
		try (SSLSocket socket = (SSLSocket) ssl.getSocketFactory().createSocket("127.0.0.1", port)) {
			socket.setSoTimeout(10_000);
			socket.startHandshake();
			return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
		}
	}

	@Test
	void clientAuthWithABundleWithoutTrustStoreFailsStartUpNamingTheProperty() {
		Servers.runner()
			.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
			.withPropertyValues("ipc.servers.echo.transport=tcp", "ipc.servers.echo.port=0",
					"ipc.servers.echo.ssl-bundle=keyonly", "ipc.servers.echo.client-auth=need",
					"spring.ssl.bundle.pem.keyonly.keystore.certificate=file:" + file("server.pem"),
					"spring.ssl.bundle.pem.keyonly.keystore.private-key=file:" + file("server.key"))
			.run((context) -> assertThat(context.getStartupFailure())
				.hasStackTraceContaining("ipc.servers.echo.client-auth")
				.hasStackTraceContaining("which has none"));
	}

	/** Replies with what the connection knows of the client's certificate. */
	static class WhoListener {

		@IpcListener("echo")
		String who(String payload,
				@Header(name = SocketHeaders.PEER_CERTIFICATE_SUBJECT, required = false) String subject,
				@Header(name = SocketHeaders.PEER_CERTIFICATES, required = false) X509Certificate[] chain,
				IpcConnection connection) {
			X509Certificate[] fromConnection = connection.peerCertificates();
			return "subject=" + subject + " chain=" + ((chain != null) ? chain.length : 0) + " connection="
					+ ((fromConnection != null) ? fromConnection[0].getSubjectX500Principal().getName() : null);
		}

	}

	/** Receives the pushes of the subscribing client {@code feed}. */
	static class Feed {

		final List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();

		@IpcListener("feed")
		void push(String payload) {
			this.received.add(payload);
		}

	}

}
