package dev.ipcboot.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

import org.springframework.context.ConfigurableApplicationContext;

import dev.ipcboot.socket.IpcClient;

/**
 * The client side's own cost, as {@link SocketCostMeasurement} measures the server's: a
 * 63-byte request (64 bytes with the newline its line framing adds) through
 * {@code IpcClient.request} against a plain JDK blocking {@code SocketChannel} client,
 * both talking to the same plain JDK thread-per-connection echo server, in one JVM,
 * alternating rounds. Reports p50/p99 latency, CPU time and context switches per request
 * (the whole process, from {@code /proc/self}), and the bytes the measuring client thread
 * allocated per request. Run it under {@code taskset -c 0} for the one-CPU rows.
 * <p>
 * Arguments:
 * {@code [transport=local|tcp] [requests=20000] [rounds=3] [warmup=2 x requests]} and any
 * {@code --ipc...} property for the client.
 */
public final class ClientCostMeasurement {

	private ClientCostMeasurement() {
	}

	public static void main(String[] args) throws Exception {
		String transport = "local";
		int requests = 20_000;
		int rounds = 3;
		int warmup = -1;
		boolean bare = false;
		List<String> properties = new ArrayList<>();
		for (String arg : args) {
			if (arg.startsWith("--")) {
				properties.add(arg);
			}
			else if (arg.startsWith("transport=")) {
				transport = arg.substring(10);
			}
			else if (arg.startsWith("requests=")) {
				requests = Integer.parseInt(arg.substring(9));
			}
			else if (arg.startsWith("rounds=")) {
				rounds = Integer.parseInt(arg.substring(7));
			}
			else if (arg.startsWith("warmup=")) {
				warmup = Integer.parseInt(arg.substring(7));
			}
			else if (arg.equals("compare=bare")) {
				bare = true;
			}
		}
		Path dir = Files.createTempDirectory("ipc-client-cost");
		try (RawSockets.RawServer server = RawSockets.RawServer.echo(RawSockets.address(transport, dir, "raw.sock"))) {
			String where = transport.equals("local") ? "--ipc.clients.bench.path=" + dir.resolve("raw.sock")
					: "--ipc.clients.bench.port=" + ((InetSocketAddress) server.address()).getPort();
			List<String> all = new ArrayList<>(
					List.of("--ipc.clients.bench.transport=" + transport, where, "--ipc.clients.bench.framing=line"));
			all.addAll(properties);
			try (ConfigurableApplicationContext context = Apps.run(SocketClientBenchmark.ClientApplication.class,
					all.toArray(String[]::new)); SocketChannel raw = RawSockets.connect(server.address())) {
				IpcClient client = context.getBean(IpcClient.class);
				byte[] payload = new byte[63];
				Arrays.fill(payload, (byte) 'x');
				ByteBuffer request = RawSockets.frame("line", 64);
				ByteBuffer reply = ByteBuffer.allocateDirect(1024);
				Call rawCall = () -> RawSockets.roundTrip(raw, request, reply, true);
				Call starterCall = () -> client.request(payload);
				Socket bareSocket = bare ? bareSocket(transport, server.address()) : null;
				Call bareCall = (bareSocket != null) ? bareRoundTrip(bareSocket) : null;
				int warmupRequests = (warmup >= 0) ? warmup : 2 * requests;
				run(rawCall, warmupRequests);
				run(starterCall, warmupRequests);
				if (bareCall != null) {
					run(bareCall, warmupRequests);
				}
				Result rawTotal = new Result();
				Result starterTotal = new Result();
				Result bareTotal = new Result();
				for (int round = 0; round < rounds; round++) {
					rawTotal.add(run(rawCall, requests));
					starterTotal.add(run(starterCall, requests));
					if (bareCall != null) {
						bareTotal.add(run(bareCall, requests));
					}
				}
				if (bareSocket != null) {
					bareSocket.close();
				}
				System.out.println("client transport=" + transport + " framing=line size=64 requests=" + requests + "x"
						+ rounds + " cpus=" + Runtime.getRuntime().availableProcessors() + " " + properties);
				System.out.println("raw     " + rawTotal);
				System.out.println("starter " + starterTotal);
				System.out.println(String.format(Locale.ROOT,
						"ratio   p50 %.2fx  p99 %.2fx  throughput %.2fx  cpu/req %.2fx  switches/req %.2fx",
						starterTotal.p50() / rawTotal.p50(), starterTotal.p99() / rawTotal.p99(),
						starterTotal.throughput() / rawTotal.throughput(),
						starterTotal.cpuPerRequest() / rawTotal.cpuPerRequest(),
						starterTotal.switchesPerRequest() / rawTotal.switchesPerRequest()));
				if (bareCall != null) {
					System.out.println("bare    " + bareTotal);
					System.out.println(String.format(Locale.ROOT,
							"ratio bare p50 %.2fx  p99 %.2fx  cpu/req %.2fx; starter/bare p50 %.2fx  p99 %.2fx  cpu/req %.2fx",
							bareTotal.p50() / rawTotal.p50(), bareTotal.p99() / rawTotal.p99(),
							bareTotal.cpuPerRequest() / rawTotal.cpuPerRequest(), starterTotal.p50() / bareTotal.p50(),
							starterTotal.p99() / bareTotal.p99(),
							starterTotal.cpuPerRequest() / bareTotal.cpuPerRequest()));
				}
			}
		}
		Apps.delete(dir);
	}

	/**
	 * The socket the starter's client uses, without the starter: junixsocket's
	 * {@code AFUNIXSocket} for a local socket, a {@code java.net.Socket} for TCP, both
	 * with the read timeout the client sets (its request timeout).
	 */
	private static Socket bareSocket(String transport, SocketAddress address) throws IOException {
		Socket socket;
		if (transport.equals("local")) {
			socket = AFUNIXSocket.newInstance();
			socket.connect(AFUNIXSocketAddress.of(((UnixDomainSocketAddress) address).getPath()));
		}
		else {
			socket = new Socket();
			socket.setTcpNoDelay(true);
			socket.connect(address);
		}
		socket.setSoTimeout(30_000);
		return socket;
	}

	/** Write a 64-byte line through the socket's stream and read the echoed line. */
	private static Call bareRoundTrip(Socket socket) throws IOException {
		OutputStream output = socket.getOutputStream();
		InputStream input = socket.getInputStream();
		byte[] frame = new byte[64];
		Arrays.fill(frame, (byte) 'x');
		frame[63] = '\n';
		byte[] reply = new byte[1024];
		return () -> {
			output.write(frame);
			int read = 0;
			while (read == 0 || reply[read - 1] != '\n') {
				int n = input.read(reply, read, reply.length - read);
				if (n < 0) {
					throw new IOException("end of stream");
				}
				read += n;
			}
			return read;
		};
	}

	@FunctionalInterface
	private interface Call {

		Object call() throws Exception;

	}

	private static Result run(Call call, int requests) throws Exception {
		long[] latencies = new long[requests];
		AtomicReference<Exception> failure = new AtomicReference<>();
		long[] allocated = new long[1];
		Thread thread = new Thread(() -> {
			com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory
				.getThreadMXBean();
			long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
			try {
				for (int i = 0; i < requests; i++) {
					long begin = System.nanoTime();
					call.call();
					latencies[i] = System.nanoTime() - begin;
				}
			}
			catch (Exception ex) {
				failure.set(ex);
			}
			allocated[0] = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
		}, "client-cost");
		long switches = ProcessCounters.switches();
		long cpu = ProcessCounters.cpu();
		long begin = System.nanoTime();
		thread.start();
		thread.join();
		if (failure.get() != null) {
			throw failure.get();
		}
		Result result = new Result();
		result.nanos = System.nanoTime() - begin;
		result.cpuNanos = ProcessCounters.cpu() - cpu;
		result.switches = ProcessCounters.switches() - switches;
		result.allocated = allocated[0];
		result.requests = requests;
		result.latencies = latencies;
		return result;
	}

	private static final class Result {

		long nanos;

		long cpuNanos;

		long switches;

		long allocated;

		long requests;

		long[] latencies = new long[0];

		void add(Result other) {
			this.nanos += other.nanos;
			this.cpuNanos += other.cpuNanos;
			this.switches += other.switches;
			this.allocated += other.allocated;
			this.requests += other.requests;
			this.latencies = Latencies.merge(this.latencies, other.latencies);
		}

		double p50() {
			return percentile(0.5);
		}

		double p99() {
			return percentile(0.99);
		}

		double percentile(double fraction) {
			return Latencies.percentile(this.latencies, fraction);
		}

		double throughput() {
			return this.requests * 1e9 / this.nanos;
		}

		double cpuPerRequest() {
			return this.cpuNanos / 1000.0 / this.requests;
		}

		double switchesPerRequest() {
			return (double) this.switches / this.requests;
		}

		@Override
		public String toString() {
			return String.format(Locale.ROOT,
					"p50 %7.1f us  p99 %7.1f us  %9.0f req/s  cpu %6.2f us/req  switches %5.2f/req"
							+ "  client alloc %4.0f B/req  (p90 %.1f, p95 %.1f, p99.9 %.1f us)",
					p50(), p99(), throughput(), cpuPerRequest(), switchesPerRequest(),
					(double) this.allocated / this.requests, percentile(0.90), percentile(0.95), percentile(0.999));
		}

	}

}
