package dev.ipcboot.autoconfigure;

import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.ipcboot.socket.IpcClient;
import dev.ipcboot.socket.IpcClientException;
import dev.ipcboot.testsupport.Tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A TCP client with {@code ssl-bundle} against a plain JDK TLS server whose certificate a
 * test CA signed; the CA and the certificate are made with {@code keytool} for each run.
 */
class SocketClientTlsTests {

	private static final String PASSWORD = "secret";

	@TempDir
	static Path dir;

	@BeforeAll
	static void makeCertificates() throws Exception {
		String keytool = Tools.require("keytool", "openjdk-17-jdk-headless").toString();
		keytool(keytool, "-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
				"CN=ipcboot test CA", "-ext", "bc:c", "-validity", "2", "-keystore", "ca.p12", "-storepass", PASSWORD);
		keytool(keytool, "-exportcert", "-alias", "ca", "-keystore", "ca.p12", "-storepass", PASSWORD, "-rfc", "-file",
				"ca.pem");
		keytool(keytool, "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
				"CN=localhost", "-validity", "2", "-keystore", "server.p12", "-storepass", PASSWORD);
		keytool(keytool, "-certreq", "-alias", "server", "-keystore", "server.p12", "-storepass", PASSWORD, "-file",
				"server.csr");
		keytool(keytool, "-gencert", "-alias", "ca", "-keystore", "ca.p12", "-storepass", PASSWORD, "-infile",
				"server.csr", "-outfile", "server.pem", "-rfc", "-ext", "san=ip:127.0.0.1,dns:localhost", "-validity",
				"2");
		keytool(keytool, "-importcert", "-alias", "ca", "-file", "ca.pem", "-keystore", "server.p12", "-storepass",
				PASSWORD, "-noprompt");
		keytool(keytool, "-importcert", "-alias", "server", "-file", "server.pem", "-keystore", "server.p12",
				"-storepass", PASSWORD, "-noprompt");
	}

	private static void keytool(String keytool, String... arguments) throws Exception {
		List<String> command = new ArrayList<>(List.of(keytool));
		command.addAll(List.of(arguments));
		Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes());
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as("keytool %s: %s", arguments[0], output).isZero();
	}

	private static ClientTestServer tlsServer(String framing) throws Exception {
		return ClientTestServer.wrap(tlsServerSocket(), framing);
	}

	private static SSLServerSocket tlsServerSocket() throws Exception {
		KeyStore keyStore = KeyStore.getInstance("PKCS12");
		try (InputStream in = Files.newInputStream(dir.resolve("server.p12"))) {
			keyStore.load(in, PASSWORD.toCharArray());
		}
		KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
		keyManagers.init(keyStore, PASSWORD.toCharArray());
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(keyManagers.getKeyManagers(), null, null);
		return (SSLServerSocket) context.getServerSocketFactory()
			.createServerSocket(0, 50, InetAddress.getLoopbackAddress());
	}

	@Test
	void aClientTrustingTheTestCaCompletesARoundTripOverTls() throws Exception {
		try (ClientTestServer server = tlsServer("line")) {
			ClientContexts.runner()
				.withPropertyValues(
						"spring.ssl.bundle.pem.test-ca.truststore.certificate=file:" + dir.resolve("ca.pem"))
				.withPropertyValues(ClientContexts.client("secure", "tcp", dir.resolve("x"), server.port(), "line",
						"ssl-bundle=test-ca"))
				.run((context) -> {
					IpcClient client = context.getBean(IpcClient.class);
					assertThat(client.request("over tls", String.class)).isEqualTo("over tls");
					assertThat(client.request("again", String.class)).isEqualTo("again");
					assertThat(client.toString()).contains("tls:127.0.0.1:" + server.port());
				});
		}
	}

	@Test
	void aTlsServerThatStopsReadingFailsABlockedWriteWithATimeoutInsteadOfHangingTheCaller() throws Exception {
		try (NonReadingServer server = new NonReadingServer(tlsServerSocket())) {
			ClientContexts.runner()
				.withPropertyValues(
						"spring.ssl.bundle.pem.test-ca.truststore.certificate=file:" + dir.resolve("ca.pem"))
				.withPropertyValues(ClientContexts.client("stuck", "tcp", dir.resolve("x"), server.port(),
						"length-prefixed", "ssl-bundle=test-ca", "request-timeout=500ms", "max-message-size=64MB"))
				.run((context) -> {
					IpcClient client = context.getBean(IpcClient.class);
					assertThat(server.awaitTimeout(() -> client.request(new byte[48 * 1024 * 1024])))
						.hasMessageContaining("'stuck'")
						.hasMessageContaining("not reading");
				});
		}
	}

	@Test
	void aPlaintextClientGetsNoReplyFromATlsServer() throws Exception {
		// length-prefixed, because the server's TLS alert ends in 0x0a and would read as
		// a line
		try (ClientTestServer server = tlsServer("length-prefixed")) {
			ClientContexts.runner()
				.withPropertyValues(ClientContexts.client("plain", "tcp", dir.resolve("x"), server.port(),
						"length-prefixed", "request-timeout=3s"))
				.run((context) -> assertThatExceptionOfType(IpcClientException.class)
					.isThrownBy(() -> context.getBean(IpcClient.class).request("in clear"))
					.withMessageContaining("'plain'"));
		}
	}

	@Test
	void aHostNameTheCertificateDoesNotNameIsRefused() throws Exception {
		try (ClientTestServer server = tlsServer("line")) {
			ClientContexts.runner()
				.withPropertyValues(
						"spring.ssl.bundle.pem.test-ca.truststore.certificate=file:" + dir.resolve("ca.pem"))
				.withPropertyValues(ClientContexts.client("wrong", "tcp", dir.resolve("x"), server.port(), "line",
						"ssl-bundle=test-ca", "host=127.0.0.2"))
				.run((context) -> assertThatExceptionOfType(IpcClientException.class)
					.isThrownBy(() -> context.getBean(IpcClient.class).request("hello"))
					.withMessageContaining("'wrong'")
					.withMessageContaining("could not connect"));
		}
	}

}
