package dev.ipcboot.socket.udp;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.messaging.handler.annotation.Header;

import dev.ipcboot.IpcEvent;
import dev.ipcboot.autoconfigure.IpcListenerAutoConfiguration;
import dev.ipcboot.autoconfigure.SocketAutoConfiguration;
import dev.ipcboot.listener.IpcErrorHandler;
import dev.ipcboot.listener.IpcListener;
import dev.ipcboot.socket.IpcClient;
import dev.ipcboot.socket.IpcClientException;
import dev.ipcboot.socket.IpcClientTimeoutException;
import dev.ipcboot.socket.IpcServer;
import dev.ipcboot.socket.SocketHeaders;
import dev.ipcboot.socket.SocketServerStartedEvent;
import dev.ipcboot.socket.SocketServerStoppedEvent;
import dev.ipcboot.socket.udp.internal.UdpIpcClient;
import dev.ipcboot.socket.udp.internal.UdpServer;
import dev.ipcboot.testsupport.LogLines;
import dev.ipcboot.testsupport.OurThreads;
import dev.ipcboot.testsupport.Tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@code transport: udp} on loopback with real sockets: socat and Python exchange
 * datagrams with the server (request and reply), bad datagrams are dropped with one WARN
 * and the next one is served, the starter's own client sends and requests, and nothing of
 * the server is left after the context closes.
 */
@ExtendWith(OutputCaptureExtension.class)
class UdpServerForeignPeerTests {

	private ConfigurableApplicationContext context;

	private ConfigurableApplicationContext clientContext;

	@AfterEach
	void close() {
		if (this.clientContext != null) {
			this.clientContext.close();
		}
		if (this.context != null) {
			this.context.close();
		}
	}

	private ConfigurableApplicationContext start(String... properties) {
		SpringApplication application = new SpringApplication(UdpApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		// both channels of the Recorder exist in every test
		String[] args = new String[properties.length + 4];
		args[0] = "--spring.main.banner-mode=off";
		args[1] = "--ipc.servers.echo.transport=udp";
		args[2] = "--ipc.servers.orders.transport=udp";
		args[3] = "--ipc.servers.faulty.transport=udp";
		for (int i = 0; i < properties.length; i++) {
			args[i + 4] = "--" + properties[i];
		}
		this.context = application.run(args);
		return this.context;
	}

	/**
	 * A context of its own for clients of the server already started: the server binds
	 * port 0 and the clients get the port it bound, so no other process can take the port
	 * between a test choosing it and the server binding it.
	 */
	private ConfigurableApplicationContext startClient(String... properties) {
		SpringApplication application = new SpringApplication(UdpClientApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		String[] args = new String[properties.length + 1];
		args[0] = "--spring.main.banner-mode=off";
		for (int i = 0; i < properties.length; i++) {
			args[i + 1] = "--" + properties[i];
		}
		this.clientContext = application.run(args);
		return this.clientContext;
	}

	private int port(String server) {
		return this.context.getEnvironment().getRequiredProperty("local.ipc.server." + server + ".port", Integer.class);
	}

	@Test
	void pythonAndSocatGetTheListenersReplyAsADatagramAndTheListenerSeesTheSendersAddress() throws Exception {
		String python = Tools.requirePythonModule("socket", "python3");
		Tools.require("socat", "socat");
		start();
		int port = port("echo");
		Recorder recorder = this.context.getBean(Recorder.class);
		// Python: one datagram from a socket of its own; the reply comes back to it
		String script = """
				import socket, sys
				s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
				s.bind(("127.0.0.1", 0))
				s.settimeout(10)
				s.sendto(b"from-python", ("127.0.0.1", int(sys.argv[1])))
				data, peer = s.recvfrom(65535)
				print(s.getsockname()[1], peer[1], data.decode())
				""";
		String out = run(List.of(python, "-c", script, String.valueOf(port)), "");
		String[] fields = out.strip().split(" ", 3);
		assertThat(fields[2]).isEqualTo("echo:from-python");
		assertThat(Integer.parseInt(fields[1])).as("the reply comes from the port Python sent to").isEqualTo(port);
		assertThat(recorder.peers).contains("127.0.0.1:" + fields[0]);
		// socat: a datagram from stdin, the reply to stdout
		String socatOut = run(List.of("socat", "-T", "10", "STDIO", "UDP4:127.0.0.1:" + port), "from-socat");
		assertThat(socatOut).isEqualTo("echo:from-socat");
		assertThat(recorder.payloads).containsExactly("from-python", "from-socat");
		IpcServer server = this.context.getBean("ipc.servers.echo", IpcServer.class);
		assertThat(server).isInstanceOf(UdpServer.class);
		assertThat(server.connections()).isEmpty();
		assertThat(server.broadcast("nobody")).isZero();
	}

	@Test
	void ipv6LoopbackServerAnswersPython() throws Exception {
		String python = Tools.requirePythonModule("socket", "python3");
		start("ipc.servers.echo.host=::1");
		String script = """
				import socket, sys
				s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
				s.settimeout(10)
				s.sendto(b"v6", ("::1", int(sys.argv[1])))
				print(s.recvfrom(65535)[0].decode())
				""";
		assertThat(run(List.of(python, "-c", script, String.valueOf(port("echo"))), "")).isEqualTo("echo:v6");
	}

	@Test
	void oversizedDatagramIsDroppedWithOneWarnNamingThePeerAndTheNextIsServed(CapturedOutput output) throws Exception {
		String python = Tools.requirePythonModule("socket", "python3");
		start("ipc.servers.echo.max-message-size=64B");
		Recorder recorder = this.context.getBean(Recorder.class);
		String script = """
				import socket, sys
				s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
				s.bind(("127.0.0.1", 0))
				s.settimeout(10)
				target = ("127.0.0.1", int(sys.argv[1]))
				s.sendto(b"x" * 65, target)
				s.sendto(b"y" * 3000, target)
				s.sendto(b"ok", target)
				print(s.getsockname()[1], s.recvfrom(65535)[0].decode())
				""";
		String[] out = run(List.of(python, "-c", script, String.valueOf(port("echo"))), "").split(" ");
		assertThat(out[1]).as("the first reply is the small datagram's").isEqualTo("echo:ok");
		assertThat(recorder.payloads).containsExactly("ok");
		// only the lines naming this peer's port: the output capture takes the whole
		// JVM's
		String dropped = "UDP server 'echo' dropped a datagram from 127.0.0.1:" + out[0] + ":";
		await().atMost(Duration.ofSeconds(10)).until(() -> !LogLines.of(output).mentioning(dropped).isEmpty());
		assertThat(LogLines.of(output).mentioning(dropped)).as("one WARN for the two oversized datagrams")
			.singleElement(InstanceOfAssertFactories.STRING)
			.contains(" WARN ")
			.contains("longer than max-message-size (64 bytes)");
	}

	@Test
	void payloadThatIsNotTheListenersTypeGivesOneWarnAndTheNextIsServed(CapturedOutput output) throws Exception {
		String python = Tools.requirePythonModule("socket", "python3");
		start();
		String script = """
				import socket, sys
				s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
				s.settimeout(10)
				target = ("127.0.0.1", int(sys.argv[1]))
				s.sendto(b"not json", target)
				s.sendto(b"{broken", target)
				s.sendto(b'{"item":"tea","quantity":2}', target)
				print(s.getsockname()[1], s.recvfrom(65535)[0].decode())
				""";
		String[] out = run(List.of(python, "-c", script, String.valueOf(port("orders"))), "").split(" ", 2);
		assertThat(out[1]).contains("\"item\":\"tea\"").contains("\"status\":\"accepted\"");
		// only the lines naming this peer's port: the output capture takes the whole
		// JVM's
		assertThat(LogLines.of(output)
			.mentioning("on channel 'orders' could not convert the payload from 127.0.0.1:" + out[0] + ":"))
			.as("one WARN for the two bad datagrams")
			.singleElement(InstanceOfAssertFactories.STRING)
			.contains(" WARN ");
	}

	@Test
	void listenerFailureGoesToItsErrorHandlerWhoseReplyIsTheDatagramBack() throws Exception {
		String python = Tools.requirePythonModule("socket", "python3");
		start();
		String script = """
				import socket, sys
				s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
				s.settimeout(10)
				s.sendto(b"boom", ("127.0.0.1", int(sys.argv[1])))
				print(s.recvfrom(65535)[0].decode())
				""";
		assertThat(run(List.of(python, "-c", script, String.valueOf(port("faulty"))), ""))
			.isEqualTo("handled:refused boom");
	}

	@Test
	void ipcClientSendsAndRequestsAndTimesOutWithoutAReply() throws Exception {
		start();
		startClient("ipc.clients.echo.transport=udp", "ipc.clients.echo.port=" + port("echo"),
				"ipc.clients.echo.request-timeout=500ms");
		IpcClient client = this.clientContext.getBean("ipc.clients.echo", IpcClient.class);
		assertThat(client).isInstanceOf(UdpIpcClient.class);
		assertThat(client.request("ping", String.class)).isEqualTo("echo:ping");
		assertThat(client.requestAsync("async", String.class).get(10, TimeUnit.SECONDS)).isEqualTo("echo:async");
		Recorder recorder = this.context.getBean(Recorder.class);
		client.send("fire");
		await().atMost(Duration.ofSeconds(10)).until(() -> recorder.payloads.contains("fire"));
		assertThatExceptionOfType(IpcClientTimeoutException.class).isThrownBy(() -> client.request("silent"))
			.withMessageContaining("no reply datagram")
			.withMessageContaining("500ms");
		assertThatExceptionOfType(IpcClientException.class).isThrownBy(() -> client.send("z".repeat(70_000)))
			.withMessageContaining("longer than max-message-size");
	}

	@Test
	void requestToAPortNobodyReceivesOnFailsWithoutWaitingForTheTimeout() throws Exception {
		try (DatagramSocket held = portNobodyReceivesOn()) {
			start("ipc.clients.nobody.transport=udp", "ipc.clients.nobody.port=" + held.getLocalPort(),
					"ipc.clients.nobody.request-timeout=30s");
			IpcClient client = this.context.getBean("ipc.clients.nobody", IpcClient.class);
			assertThatExceptionOfType(IpcClientException.class).isThrownBy(() -> client.request("anyone?"))
				.withMessageContaining("port unreachable");
		}
	}

	@Test
	void serverPublishesStartAndStopAndLeavesNoThreadOrSocketAfterClose() throws Exception {
		String python = Tools.requirePythonModule("socket", "python3");
		Set<String> socketsBefore = sockets();
		start();
		int port = port("echo");
		startClient("ipc.clients.echo.transport=udp", "ipc.clients.echo.port=" + port);
		assertThat(this.clientContext.getBean("ipc.clients.echo", IpcClient.class).request("via-client", String.class))
			.isEqualTo("echo:via-client");
		String script = """
				import socket, sys
				s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
				s.settimeout(10)
				s.sendto(b"hi", ("127.0.0.1", int(sys.argv[1])))
				print(s.recvfrom(65535)[0].decode())
				""";
		assertThat(run(List.of(python, "-c", script, String.valueOf(port)), "")).isEqualTo("echo:hi");
		Recorder recorder = this.context.getBean(Recorder.class);
		assertThat(OurThreads.alive("ipc-udp-echo")).isNotEmpty();
		assertThat(udpSocketsOpenedSince(socketsBefore)).as("UDP sockets of the server and the client").isNotEmpty();
		this.clientContext.close();
		this.clientContext = null;
		this.context.close();
		this.context = null;
		assertThat(recorder.events).hasAtLeastOneElementOfType(SocketServerStartedEvent.class)
			.hasAtLeastOneElementOfType(SocketServerStoppedEvent.class);
		// a worker may still be ending for a moment after the pool's termination let the
		// close return
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(OurThreads.alive("ipc-udp-")).as("threads of the UDP server").isEmpty());
		// UDP sockets only: another thread of this JVM (left by an earlier test class)
		// may open a socket of another kind meanwhile
		assertThat(udpSocketsOpenedSince(socketsBefore)).as("UDP sockets open after close that were not before")
			.isEmpty();
		try (DatagramSocket again = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
			assertThat(again.getLocalPort()).as("the port is free again").isEqualTo(port);
		}
	}

	/** The sockets this JVM has open, from /proc/self/fd. */
	private static Set<String> sockets() throws IOException {
		Set<String> sockets = new TreeSet<>();
		try (Stream<Path> descriptors = Files.list(Path.of("/proc/self/fd"))) {
			for (Path descriptor : (Iterable<Path>) descriptors::iterator) {
				try {
					String target = Files.readSymbolicLink(descriptor).toString();
					if (target.startsWith("socket:")) {
						sockets.add(target);
					}
				}
				catch (IOException ex) {
					// the descriptor of the listing itself, closed by now
				}
			}
		}
		return sockets;
	}

	/**
	 * The sockets this JVM has open that were not open before and that are UDP sockets:
	 * their inode has a row in /proc/net/udp or /proc/net/udp6 (its tenth field).
	 */
	private static Set<String> udpSocketsOpenedSince(Set<String> before) throws IOException {
		Set<String> udp = new TreeSet<>();
		for (String table : List.of("/proc/net/udp", "/proc/net/udp6")) {
			Files.readAllLines(Path.of(table))
				.stream()
				.skip(1)
				.map((line) -> line.trim().split("\\s+"))
				.forEach((fields) -> udp.add("socket:[" + fields[9] + "]"));
		}
		Set<String> opened = sockets();
		opened.removeAll(before);
		opened.retainAll(udp);
		return opened;
	}

	/**
	 * A UDP socket on a loopback port that no datagram of ours reaches, for as long as it
	 * is open: bound (no other socket can bind the port meanwhile, as one closed at once
	 * would let it) and connected to another address, so the kernel delivers it only
	 * datagrams from there and answers those from anywhere else with ICMP port
	 * unreachable, as for a port nobody is bound to.
	 */
	private static DatagramSocket portNobodyReceivesOn() throws IOException {
		DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
		socket.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 9));
		return socket;
	}

	/** Runs a foreign peer to its end and returns its first line of output. */
	private static String run(List<String> command, String input) throws Exception {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		try {
			process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
			process.getOutputStream().close();
			assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
			String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertThat(process.exitValue()).as(out).isZero();
			return out.strip();
		}
		finally {
			process.destroyForcibly();
		}
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ IpcListenerAutoConfiguration.class, SocketAutoConfiguration.class })
	static class UdpApplication {

		@Bean
		Recorder recorder() {
			return new Recorder();
		}

		@Bean
		IpcErrorHandler udpErrorHandler() {
			return (request, error) -> "handled:" + rootMessage(error);
		}

		private static String rootMessage(Throwable error) {
			Throwable root = error;
			while (root.getCause() != null) {
				root = root.getCause();
			}
			return root.getMessage();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ IpcListenerAutoConfiguration.class, SocketAutoConfiguration.class })
	static class UdpClientApplication {

	}

	record Order(String item, int quantity) {
	}

	record Receipt(String item, int quantity, String status) {
	}

	static class Recorder {

		final List<String> payloads = new CopyOnWriteArrayList<>();

		final List<String> peers = new CopyOnWriteArrayList<>();

		final List<IpcEvent> events = new CopyOnWriteArrayList<>();

		@IpcListener("echo")
		String echo(String payload, @Header(SocketHeaders.REMOTE_ADDRESS) String peer) {
			this.payloads.add(payload);
			this.peers.add(peer);
			return payload.equals("silent") ? null : "echo:" + payload;
		}

		@IpcListener(value = "faulty", errorHandler = "udpErrorHandler")
		String faulty(String payload) {
			throw new IllegalStateException("refused " + payload);
		}

		@IpcListener("orders")
		Receipt order(Order order) {
			return new Receipt(order.item(), order.quantity(), "accepted");
		}

		@EventListener
		void on(IpcEvent event) {
			this.events.add(event);
		}

	}

}
