package dev.ipcboot.socket.internal;

import java.io.FileInputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.ipcboot.socket.Framing;
import dev.ipcboot.socket.SocketTransport;
import dev.ipcboot.testsupport.TcpPorts;
import dev.ipcboot.testsupport.Tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A TCP server with {@code ssl-bundle} speaks TLS with the bundle's key: a client that
 * trusts the test certificate round-trips, a plaintext client gets no reply.
 */
class SocketServerTlsTests {

	@TempDir
	static Path dir;

	private static Path keystore;

	private static Path truststore;

	@BeforeAll
	static void generateTestCertificate() throws Exception {
		String keytool = Tools.require("keytool", "openjdk-17-jdk-headless").toString();
		keystore = dir.resolve("server.p12");
		truststore = dir.resolve("trust.p12");
		Path certificate = dir.resolve("server.crt");
		run(keytool, "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
				"CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-keystore",
				keystore.toString(), "-storetype", "PKCS12", "-storepass", "secret");
		run(keytool, "-exportcert", "-alias", "server", "-keystore", keystore.toString(), "-storepass", "secret",
				"-file", certificate.toString());
		run(keytool, "-importcert", "-noprompt", "-alias", "ca", "-file", certificate.toString(), "-keystore",
				truststore.toString(), "-storetype", "PKCS12", "-storepass", "secret");
	}

	private static void run(String... command) throws Exception {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor()).as(String.join(" ", command) + "\n" + output).isZero();
	}

	private ApplicationContextRunner runner() {
		return Servers.echo(SocketTransport.TCP, Framing.LINE, dir)
			.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
			.withPropertyValues("ipc.servers.echo.ssl-bundle=ipc",
					"spring.ssl.bundle.jks.ipc.keystore.location=file:" + keystore,
					"spring.ssl.bundle.jks.ipc.keystore.password=secret",
					"spring.ssl.bundle.jks.ipc.keystore.type=PKCS12");
	}

	private static SSLContext trustingClient() throws Exception {
		KeyStore trust = KeyStore.getInstance("PKCS12");
		try (InputStream in = new FileInputStream(truststore.toFile())) {
			trust.load(in, "secret".toCharArray());
		}
		TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		trustManagers.init(trust);
		SSLContext ssl = SSLContext.getInstance("TLS");
		ssl.init(null, trustManagers.getTrustManagers(), null);
		return ssl;
	}

	@Test
	void protocolsOfTheBundleOptionsAreTheOnlyOnesOffered() {
		runner().withPropertyValues("spring.ssl.bundle.jks.ipc.options.enabled-protocols=TLSv1.3").run((context) -> {
			int port = context.getEnvironment().getRequiredProperty("local.ipc.server.echo.port", Integer.class);
			try (SSLSocket socket = (SSLSocket) trustingClient().getSocketFactory().createSocket("127.0.0.1", port)) {
				socket.setSoTimeout(10_000);
				socket.setEnabledProtocols(new String[] { "TLSv1.2" });
				assertThatExceptionOfType(javax.net.ssl.SSLException.class).isThrownBy(socket::startHandshake);
			}
		});
	}

	@Test
	void subscribingClientWithATrustBundleReceivesPushesOverTlsOnTheEngine() throws Exception {
		// the client in the server's context needs its port before it starts
		TcpPorts.runOnFreePort((port) -> runner().withBean(TlsFeed.class)
			.withPropertyValues("ipc.servers.echo.port=" + port, "ipc.clients.feed.transport=tcp",
					"ipc.clients.feed.host=127.0.0.1", "ipc.clients.feed.port=" + port, "ipc.clients.feed.framing=line",
					"ipc.clients.feed.subscribe=true", "ipc.clients.feed.ssl-bundle=trust",
					"spring.ssl.bundle.jks.trust.truststore.location=file:" + truststore,
					"spring.ssl.bundle.jks.trust.truststore.password=secret",
					"spring.ssl.bundle.jks.trust.truststore.type=PKCS12"),
				(context) -> {
					SocketIpcClient client = context.getBean("ipc.clients.feed", SocketIpcClient.class);
					SocketServer server = context.getBean(SocketServers.class).get("echo");
					assertThat(client.subscription()).isInstanceOf(EngineClientSubscription.class);
					org.awaitility.Awaitility.await()
						.atMost(java.time.Duration.ofSeconds(10))
						.until(() -> client.isSubscribed() && server.connections().size() == 1);
					assertThat(server.broadcast("over tls")).isEqualTo(1);
					TlsFeed feed = context.getBean(TlsFeed.class);
					org.awaitility.Awaitility.await()
						.atMost(java.time.Duration.ofSeconds(10))
						.until(() -> feed.received.contains("over tls"));
					assertThat(client.request("ping", String.class)).isEqualTo("echo:ping");
				});
	}

	/** Receives the pushes of the subscribing client {@code feed}. */
	static class TlsFeed {

		final java.util.List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();

		@dev.ipcboot.listener.IpcListener("feed")
		void push(String payload) {
			this.received.add(payload);
		}

	}

	@Test
	void clientTrustingTheTestCertificateRoundTripsOverTls() {
		runner().run((context) -> {
			int port = context.getEnvironment().getRequiredProperty("local.ipc.server.echo.port", Integer.class);
			SSLContext ssl = trustingClient();
			try (SSLSocket socket = (SSLSocket) ssl.getSocketFactory().createSocket("127.0.0.1", port)) {
				socket.setSoTimeout(10_000);
				socket.getOutputStream().write("secret hello\n".getBytes(StandardCharsets.UTF_8));
				socket.getOutputStream().flush();
				byte[] reply = new byte["echo:secret hello\n".length()];
				new java.io.DataInputStream(socket.getInputStream()).readFully(reply);
				assertThat(new String(reply, StandardCharsets.UTF_8)).isEqualTo("echo:secret hello\n");
				assertThat(socket.getSession().getPeerCertificates()).hasSize(1);
			}
		});
	}

	@Test
	void plaintextClientGetsNoReply() {
		runner().run((context) -> {
			int port = context.getEnvironment().getRequiredProperty("local.ipc.server.echo.port", Integer.class);
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
				socket.setSoTimeout(10_000);
				socket.getOutputStream().write("hello\n".getBytes(StandardCharsets.UTF_8));
				socket.getOutputStream().flush();
				byte[] received;
				try {
					received = socket.getInputStream().readAllBytes();
				}
				catch (java.net.SocketException ex) {
					received = new byte[0];
				}
				assertThat(new String(received, StandardCharsets.ISO_8859_1)).doesNotContain("echo:");
			}
		});
	}

}
