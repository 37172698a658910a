package dev.ipcboot.autoconfigure;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.ipcboot.socket.IpcClient;
import dev.ipcboot.testsupport.Tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The client contract, the same for both transports and every framing: against a server
 * written with plain sockets, and against {@code socat} relaying to {@code cat}.
 */
class SocketClientContractTests {

	/** socat's notice once it listens: on a Unix socket (AF=1) or on an IP port. */
	private static final Pattern SOCAT_LISTENING = Pattern.compile("listening on AF=(?:1 .*|\\d+ \\S*:(\\d+))$");

	@TempDir
	Path dir;

	static Stream<Arguments> transportsAndFramings() {
		List<Arguments> arguments = new ArrayList<>();
		for (String transport : List.of("local", "tcp")) {
			for (String framing : List.of("line", "crlf", "length-prefixed", "stx-etx", "raw")) {
				arguments.add(Arguments.of(transport, framing));
			}
		}
		return arguments.stream();
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("transportsAndFramings")
	void requestsGetTheirRepliesFromAPlainSocketServer(String transport, String framing) throws IOException {
		Path path = this.dir.resolve("echo.sock");
		try (ClientTestServer server = ClientTestServer.start(transport, path, 0, framing)) {
			ClientContexts.runner()
				.withPropertyValues(ClientContexts.client("echo", transport, path, server.port(), framing))
				.run((context) -> {
					IpcClient client = context.getBean(IpcClient.class);
					assertRoundTrips(client);
					if (!"raw".equals(framing)) {
						assertThat(server.accepted()).as("one connection reused for sequential requests").isEqualTo(1);
					}
				});
		}
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("transportsAndFramings")
	void requestsGetTheirRepliesFromSocatRelayingToCat(String transport, String framing) throws Exception {
		Path socat = Tools.require("socat", "socat");
		Path path = this.dir.resolve("socat.sock");
		Path log = this.dir.resolve("socat.log");
		// TCP on port 0: socat binds a port the kernel picks and names it in its log (-d
		// -d),
		// so no other process can take the port between the test choosing and socat
		// binding it
		String listen = "local".equals(transport) ? "UNIX-LISTEN:" + path + ",fork"
				: "TCP-LISTEN:0,bind=127.0.0.1,reuseaddr,fork";
		Process process = new ProcessBuilder(socat.toString(), "-d", "-d", listen, "EXEC:/bin/cat")
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		try {
			int port = await().atMost(Duration.ofSeconds(10)).until(() -> listeningPort(log), (found) -> found >= 0);
			ClientContexts.runner()
				.withPropertyValues(ClientContexts.client("cat", transport, path, port, framing))
				.run((context) -> assertRoundTrips(context.getBean(IpcClient.class)));
		}
		finally {
			process.destroy();
			process.waitFor();
		}
	}

	@Test
	void anAbstractNamespaceNameReachesSocatListeningThere() throws Exception {
		Path socat = Tools.require("socat", "socat");
		String name = "ipcboot-client-test-" + ProcessHandle.current().pid();
		Process process = new ProcessBuilder(socat.toString(), "ABSTRACT-LISTEN:" + name + ",fork", "EXEC:/bin/cat")
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		try {
			ClientContexts.runner()
				.withPropertyValues("ipc.clients.abstract.name=" + name, "ipc.clients.abstract.abstract=true",
						"ipc.clients.abstract.connect-timeout=200ms")
				.run((context) -> {
					IpcClient client = context.getBean(IpcClient.class);
					await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> client.request("up") != null);
					assertThat(client.request("abstract", String.class)).isEqualTo("abstract");
					assertThat(client.toString()).contains("local:@" + name);
				});
		}
		finally {
			process.destroy();
			process.waitFor();
		}
	}

	@Test
	void aQtStyleNameReachesTheServerInTheTempDirectory() throws Exception {
		String name = "ipcboot-client-test-" + ProcessHandle.current().pid() + ".sock";
		Path path = Path.of(QtLocalSocketNames.path(name));
		try (ClientTestServer server = ClientTestServer.local(path, "line")) {
			ClientContexts.runner()
				.withPropertyValues("ipc.clients.qt.name=" + name)
				.run((context) -> assertThat(context.getBean(IpcClient.class).request("by name", String.class))
					.isEqualTo("by name"));
		}
		finally {
			Files.deleteIfExists(path);
		}
	}

	@Test
	void lengthPrefixedFramingTalksToAQtServerUsingQDataStream() throws Exception {
		String python = Tools.requirePythonModule("PyQt5.QtNetwork", "python3-pyqt5");
		Path script = this.dir.resolve("qt_datastream_server.py");
		try (InputStream in = getClass().getResourceAsStream("qt_datastream_server.py")) {
			Files.copy(in, script);
		}
		Path path = this.dir.resolve("qt.sock");
		Process process = new ProcessBuilder(python, script.toString(), path.toString()).redirectErrorStream(true)
			.start();
		try {
			BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream()));
			assertThat(output.readLine()).isEqualTo("listening");
			ClientContexts.runner()
				.withPropertyValues(ClientContexts.client("qt", "local", path, 1, "length-prefixed"))
				.run((context) -> {
					IpcClient client = context.getBean(IpcClient.class);
					assertThat(client.request("hello", String.class)).isEqualTo("qt:hello");
					String large = "q".repeat(70_000);
					assertThat(client.request(large, String.class)).isEqualTo("qt:" + large);
					assertThat(client.request(new byte[0], String.class)).isEqualTo("qt:");
				});
		}
		finally {
			process.destroy();
			process.waitFor();
		}
	}

	private static void assertRoundTrips(IpcClient client) {
		assertThat(client.request("hello", String.class)).isEqualTo("hello");
		assertThat(client.request("grüße".getBytes(StandardCharsets.UTF_8)))
			.isEqualTo("grüße".getBytes(StandardCharsets.UTF_8));
		String large = "x".repeat(100_000);
		assertThat(client.request(large, String.class)).isEqualTo(large);
		for (int i = 0; i < 20; i++) {
			assertThat(client.request("message " + i, String.class)).isEqualTo("message " + i);
		}
	}

	/**
	 * The port socat says it listens on (0 for a Unix socket), or -1 before it says so.
	 * Its notice comes after the listen call, so a client connecting then is accepted.
	 */
	private static int listeningPort(Path log) throws IOException {
		for (String line : Files.readAllLines(log)) {
			Matcher listening = SOCAT_LISTENING.matcher(line);
			if (listening.find()) {
				return (listening.group(1) != null) ? Integer.parseInt(listening.group(1)) : 0;
			}
		}
		return -1;
	}

}
