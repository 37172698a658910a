package dev.ipcboot.socket.udp;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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

import dev.ipcboot.autoconfigure.IpcListenerAutoConfiguration;
import dev.ipcboot.autoconfigure.IpcMetricsAutoConfiguration;
import dev.ipcboot.autoconfigure.SocketAutoConfiguration;
import dev.ipcboot.listener.IpcListener;
import dev.ipcboot.testsupport.LogLines;
import dev.ipcboot.testsupport.OurThreads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A peer floods a UDP server whose listener is blocked: the receive loop keeps reading,
 * what does not fit the receive queue is dropped and counted (one WARN per 10 s), the
 * server answers again once the listener does, and no thread is left after close.
 */
@ExtendWith(OutputCaptureExtension.class)
class UdpServerFloodTests {

	private static final int BURST = 64;

	private static final int FLOOD = 2_000;

	/** Workers that call the listener (the fourth thread is the receive loop). */
	private static final int WORKERS = 3;

	/** Datagrams that may wait for a worker. */
	private static final int QUEUE = 256;

	private ConfigurableApplicationContext context;

	@AfterEach
	void close() {
		if (this.context != null) {
			this.context.getBean(SlowListener.class).release.countDown();
			this.context.close();
		}
	}

	@Test
	void floodOfDatagramsBeyondTheReceiveQueueAgainstABlockedListenerDropsTheExcessCountsItAndKeepsServing(
			CapturedOutput output) throws Exception {
		SpringApplication application = new SpringApplication(FloodApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		this.context = application.run("--spring.main.banner-mode=off", "--ipc.servers.flood.transport=udp");
		int port = this.context.getEnvironment().getRequiredProperty("local.ipc.server.flood.port", Integer.class);
		SlowListener listener = this.context.getBean(SlowListener.class);
		MeterRegistry registry = this.context.getBean(MeterRegistry.class);
		InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
		// every drop, and so every WARN, comes after this instant
		long floodStart = System.nanoTime();
		try (DatagramSocket peer = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
			for (int i = 0; i < FLOOD; i++) {
				byte[] payload = ("f" + i).getBytes(StandardCharsets.US_ASCII);
				peer.send(new DatagramPacket(payload, payload.length, server));
				if (i % BURST == BURST - 1) {
					// bursts the kernel's receive buffer holds: the receive loop, not the
					// kernel, meets the datagrams beyond the queue (a sender that outran
					// a
					// cold receive loop once left nothing for it to drop)
					await().atMost(Duration.ofSeconds(20)).until(() -> kernel(port).queuedBytes() == 0);
				}
			}
		}
		// the receive loop keeps reading while every worker is blocked in the listener:
		// the kernel ends up holding nothing for the socket
		await().atMost(Duration.ofSeconds(20)).until(() -> kernel(port).queuedBytes() == 0);
		await().atMost(Duration.ofSeconds(20)).until(() -> listener.blocked.get() == WORKERS);
		Kernel kernel = kernel(port);
		// at least: a stray datagram of another process's test, sent to a port that was
		// once its own, may arrive as well (seen once in a module run, 3 more than the
		// flood)
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(dropped(registry) + kernel.drops())
				.as("each datagram is in a worker, waits in the queue, or was dropped (by us, counted, or by the kernel)")
				.isGreaterThanOrEqualTo(FLOOD - WORKERS - QUEUE));
		assertThat(dropped(registry)).as("datagrams dropped and counted").isPositive();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> output.getOut().contains("UDP server 'flood' dropped a datagram: its receive queue is full"));
		// at most one WARN per 10 s: one for the whole flood on a quick machine, more
		// only where a slow one spread the drops over more than 10 s
		long windows = 1 + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - floodStart) / 10;
		// only the lines of this server (a name no other test uses): the output capture
		// takes the whole JVM's
		LogLines lines = LogLines.of(output);
		java.util.List<String> warnings = lines
			.mentioning("UDP server 'flood' dropped a datagram: its receive queue is full");
		assertThat(warnings).as("WARNs for %s drops in %s window(s) of 10 s", dropped(registry), windows)
			.hasSizeBetween(1, (int) windows);
		// a hand-over the workers rejected would be logged on the server's thread
		// (ipc-udp-flood-N) or with its frames in the stack trace
		assertThat(lines.eventsContaining("RejectedExecutionException"))
			.noneMatch((event) -> event.contains("udp-flood") || event.contains("dev.ipcboot.socket.udp"));
		listener.release.countDown();
		// the queued datagrams reach the listener, then a datagram sent after the flood
		// is
		// answered (UDP may lose one: each attempt is a new datagram)
		await().atMost(Duration.ofSeconds(30))
			.until(() -> listener.flooded.get() == WORKERS + QUEUE && "served:after".equals(request(server, "after")));
		assertThat(listener.flooded.get()).as("flood datagrams delivered: none beyond the queue")
			.isEqualTo(WORKERS + QUEUE);
		this.context.close();
		this.context = null;
		// a worker may still be ending for a moment after the pool's termination let the
		// close return
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(
					() -> assertThat(OurThreads.alive("ipc-udp-flood")).as("threads of the UDP server after close")
						.isEmpty());
	}

	private static double dropped(MeterRegistry registry) {
		Counter counter = registry.find("ipc.connection.failures")
			.tag("channel", "flood")
			.tag("transport", "udp")
			.tag("reason", "receive-queue-full")
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	private static String request(InetSocketAddress server, String payload) throws IOException {
		try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
			socket.setSoTimeout(500);
			byte[] bytes = payload.getBytes(StandardCharsets.US_ASCII);
			socket.send(new DatagramPacket(bytes, bytes.length, server));
			DatagramPacket reply = new DatagramPacket(new byte[1024], 1024);
			socket.receive(reply);
			return new String(reply.getData(), 0, reply.getLength(), StandardCharsets.US_ASCII);
		}
		catch (SocketTimeoutException ex) {
			return null;
		}
	}

	/**
	 * What the kernel says of this JVM's UDP socket bound to the port: /proc/net/udp6
	 * (the JDK's sockets are dual-stack) or /proc/net/udp, the row whose inode is one of
	 * our descriptors (other processes on this host may have a socket on the same port
	 * number).
	 */
	private static Kernel kernel(int port) throws IOException {
		String local = String.format(Locale.ROOT, ":%04X", port);
		java.util.Set<String> ours = ourSocketInodes();
		return java.util.stream.Stream.of("/proc/net/udp6", "/proc/net/udp")
			.flatMap((file) -> lines(Path.of(file)).stream().skip(1))
			.map((line) -> line.trim().split("\\s+"))
			.filter((fields) -> fields[1].endsWith(local) && ours.contains(fields[9]))
			.map((fields) -> new Kernel(Long.parseLong(fields[4].split(":")[1], 16), Long.parseLong(fields[12])))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no UDP socket on port " + port + " in /proc/net/udp"));
	}

	private static java.util.Set<String> ourSocketInodes() throws IOException {
		java.util.Set<String> inodes = new java.util.HashSet<>();
		try (java.util.stream.Stream<Path> descriptors = Files.list(Path.of("/proc/self/fd"))) {
			for (Path descriptor : (Iterable<Path>) descriptors::iterator) {
				try {
					String target = Files.readSymbolicLink(descriptor).toString();
					if (target.startsWith("socket:[")) {
						inodes.add(target.substring("socket:[".length(), target.length() - 1));
					}
				}
				catch (IOException ex) {
					// the descriptor of the listing itself, closed by now
				}
			}
		}
		return inodes;
	}

	private static java.util.List<String> lines(Path file) {
		try {
			return Files.readAllLines(file);
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	private record Kernel(long queuedBytes, long drops) {
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ IpcListenerAutoConfiguration.class, SocketAutoConfiguration.class,
			IpcMetricsAutoConfiguration.class })
	static class FloodApplication {

		@Bean
		MeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

		@Bean
		SlowListener slowListener() {
			return new SlowListener();
		}

	}

	static class SlowListener {

		final CountDownLatch release = new CountDownLatch(1);

		final AtomicInteger blocked = new AtomicInteger();

		final AtomicInteger flooded = new AtomicInteger();

		@IpcListener("flood")
		String flood(String payload) throws InterruptedException {
			if (payload.startsWith("f")) {
				this.blocked.incrementAndGet();
				this.release.await(60, TimeUnit.SECONDS);
				this.flooded.incrementAndGet();
				return null;
			}
			return "served:" + payload;
		}

	}

}
