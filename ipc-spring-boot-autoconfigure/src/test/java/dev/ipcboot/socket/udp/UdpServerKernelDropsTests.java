package dev.ipcboot.socket.udp;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.ipcboot.autoconfigure.IpcListenerAutoConfiguration;
import dev.ipcboot.autoconfigure.IpcMetricsAutoConfiguration;
import dev.ipcboot.autoconfigure.SocketAutoConfiguration;
import dev.ipcboot.internal.IpcResource;
import dev.ipcboot.internal.IpcResourceSource;
import dev.ipcboot.listener.IpcListener;
import dev.ipcboot.socket.udp.internal.UdpServers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * Bursts of large datagrams at a UDP server with a small receive buffer: the kernel drops
 * what does not fit before the receive loop can read it. Those drops are in the metrics
 * ({@code ipc.connection.failures{reason=receive-buffer-full}}) and in the server's
 * resource details ({@code kernel-drops}), equal to what {@code ss} (iproute2) reports
 * for the socket, and they survive a restart of the server.
 */
class UdpServerKernelDropsTests {

	private static final Pattern DROPS = Pattern.compile("skmem:\\(.*,d(\\d+)\\)");

	private ConfigurableApplicationContext context;

	@AfterEach
	void close() {
		if (this.context != null) {
			this.context.close();
		}
	}

	@Test
	void burstsOfLargeDatagramsBeyondASmallReceiveBufferAreCountedAsKernelDropsInTheMeterAndTheResourceDetails()
			throws Exception {
		requireTool("ss");
		SpringApplication application = new SpringApplication(DropsApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		this.context = application.run("--spring.main.banner-mode=off", "--ipc.servers.drops.transport=udp",
				"--ipc.servers.drops.receive-buffer-size=1KB", "--ipc.servers.drops.max-message-size=64KB");
		int port = this.context.getEnvironment().getRequiredProperty("local.ipc.server.drops.port", Integer.class);
		MeterRegistry registry = this.context.getBean(MeterRegistry.class);
		IpcResource server = udpServer();
		assertThat(server.state().details()).containsEntry("kernel-drops", 0L);
		assertThat(kernelDrops(registry)).isZero();

		InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
		byte[] large = new byte[60_000];
		try (DatagramSocket peer = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
			// a buffer of about 2 KiB holds one such datagram: a burst outruns any
			// receive loop
			await().atMost(Duration.ofSeconds(30)).until(() -> {
				for (int i = 0; i < 50; i++) {
					peer.send(new DatagramPacket(large, large.length, target));
				}
				return ssDrops(port) > 0;
			});
		}
		// the receive loop empties the buffer; the count stays where the kernel left it
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			long reported = ssDrops(port);
			assertThat(kernelDrops(registry)).as("the meter against ss").isEqualTo(reported);
			assertThat(server.state().details()).as("the resource details against ss")
				.containsEntry("kernel-drops", reported);
		});
		long before = ssDrops(port);

		// a restart binds a new socket, whose count starts at 0 in the kernel: ours goes
		// on
		for (UdpServers lifecycle : this.context.getBeansOfType(UdpServers.class).values()) {
			lifecycle.stop();
			lifecycle.start();
		}
		assertThat(kernelDrops(registry)).as("kernel drops after a restart").isEqualTo(before);
		assertThat(udpServer().state().details()).containsEntry("kernel-drops", before);
	}

	private IpcResource udpServer() {
		return this.context.getBeansOfType(IpcResourceSource.class)
			.values()
			.stream()
			.flatMap((source) -> source.resources().stream())
			.filter((resource) -> resource.name().equals("drops") && resource.kind().equals("UDP server"))
			.findFirst()
			.orElseThrow();
	}

	private static double kernelDrops(MeterRegistry registry) {
		FunctionCounter counter = registry.find("ipc.connection.failures")
			.tag("channel", "drops")
			.tag("transport", "udp")
			.tag("reason", "receive-buffer-full")
			.functionCounter();
		assertThat(counter).as("the kernel drops meter").isNotNull();
		return counter.count();
	}

	/** The drop count ss reports for this JVM's socket on the port. */
	private static long ssDrops(int port) throws IOException, InterruptedException {
		Process ss = new ProcessBuilder("ss", "-uanmpO", "sport = :" + port).redirectErrorStream(true).start();
		String output = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(ss.waitFor(10, TimeUnit.SECONDS)).isTrue();
		String pid = "pid=" + ProcessHandle.current().pid() + ",";
		return output.lines()
			.filter((line) -> line.contains(pid))
			.map(DROPS::matcher)
			.filter(Matcher::find)
			.mapToLong((matcher) -> Long.parseLong(matcher.group(1)))
			.findFirst()
			.orElseThrow(() -> new AssertionError("ss shows no socket of ours on port " + port + ":\n" + output));
	}

	private static void requireTool(String tool) {
		for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
			if (java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, tool))) {
				return;
			}
		}
		fail(tool + " is needed by this test and is not installed: apt-get install iproute2");
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ IpcListenerAutoConfiguration.class, SocketAutoConfiguration.class,
			IpcMetricsAutoConfiguration.class })
	static class DropsApplication {

		@Bean
		MeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

		@Bean
		Sink sink() {
			return new Sink();
		}

	}

	static class Sink {

		@IpcListener("drops")
		void drop(byte[] payload) {
		}

	}

}
