package dev.ipcboot.bench;

import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import dev.ipcboot.listener.IpcListener;
import dev.ipcboot.socket.IpcClient;

/**
 * {@code transport: shm} against our own local-socket channel and the plain JDK, in one
 * JVM and run, alternating rounds (issue 17's targets). Three columns:
 * <ul>
 * <li>{@code raw}: the JDK thread-per-connection echo (or sink) server on a Unix-domain
 * socket, with a blocking JDK client;</li>
 * <li>{@code local}: the starter's {@code @IpcListener} server with {@code transport:
 * local} ({@code line} framing for requests, {@code length-prefixed} for streams), with
 * the same JDK client;</li>
 * <li>{@code shm}: the starter's {@code @IpcListener} server with {@code transport: shm},
 * with the starter's {@code IpcClient} ({@code transport: shm}).</li>
 * </ul>
 * Arguments: {@code mode=latency|streaming} {@code [clients=1] [requests=20000]
 * [rounds=3] [messages=4000] [size=65536]} and any {@code --ipc...} property, for example
 * {@code --ipc.servers.shm.spin=20000 --ipc.clients.shm.spin=20000} or
 * {@code --ipc.servers.local.dispatch=event-loop}. Run under {@code taskset -c 0} for the
 * one-CPU rows.
 */
public final class ShmTransportMeasurement {

	private ShmTransportMeasurement() {
	}

	public static void main(String[] args) throws Exception {
		String mode = "latency";
		int clients = 1;
		int requests = 20_000;
		int rounds = 3;
		int messages = 4000;
		int size = 65536;
		List<String> properties = new ArrayList<>();
		for (String arg : args) {
			String value = arg.substring(arg.indexOf('=') + 1);
			if (arg.startsWith("--")) {
				properties.add(arg);
			}
			else if (arg.startsWith("mode=")) {
				mode = value;
			}
			else if (arg.startsWith("clients=")) {
				clients = Integer.parseInt(value);
			}
			else if (arg.startsWith("requests=")) {
				requests = Integer.parseInt(value);
			}
			else if (arg.startsWith("rounds=")) {
				rounds = Integer.parseInt(value);
			}
			else if (arg.startsWith("messages=")) {
				messages = Integer.parseInt(value);
			}
			else if (arg.startsWith("size=")) {
				size = Integer.parseInt(value);
			}
		}
		Path dir = Files.createTempDirectory("ipc-shm-bench");
		List<String> all = new ArrayList<>(List.of("--ipc.servers.local.path=" + dir.resolve("local.sock"),
				"--ipc.servers.local.framing=" + (mode.equals("streaming") ? "length-prefixed" : "line"),
				"--ipc.servers.local.max-message-size=1MB", "--ipc.servers.shm.transport=shm",
				"--ipc.servers.shm.path=" + dir.resolve("shm.sock"), "--ipc.clients.shm.transport=shm",
				"--ipc.clients.shm.path=" + dir.resolve("shm.sock"), "--ipc.clients.shm.pool-size=" + clients));
		all.addAll(properties);
		System.out.println("mode=" + mode + " clients=" + clients + " cpus="
				+ Runtime.getRuntime().availableProcessors() + " " + properties);
		try (ConfigurableApplicationContext context = Apps.run(BenchApplication.class, all.toArray(String[]::new))) {
			IpcClient shm = context.getBean("ipc.clients.shm", IpcClient.class);
			Sink sink = context.getBean(Sink.class);
			if (mode.equals("streaming")) {
				streaming(dir, shm, sink, messages, size, rounds);
			}
			else {
				latency(dir, shm, clients, requests, rounds);
			}
		}
		Apps.delete(dir);
	}

	private static void latency(Path dir, IpcClient shm, int clients, int requests, int rounds) throws Exception {
		try (RawSockets.RawServer raw = RawSockets.RawServer.echo(RawSockets.address("local", dir, "raw.sock"))) {
			List<SocketChannel> rawClients = new ArrayList<>();
			List<SocketChannel> localClients = new ArrayList<>();
			for (int i = 0; i < clients; i++) {
				rawClients.add(RawSockets.connect(raw.address()));
				localClients.add(RawSockets.connect(RawSockets.address("local", dir, "local.sock")));
			}
			Caller rawCaller = socketCaller(rawClients);
			Caller localCaller = socketCaller(localClients);
			Caller shmCaller = (c) -> {
				byte[] request = new byte[64];
				Arrays.fill(request, (byte) 'x');
				return () -> {
					if (shm.request(request).length != 64) {
						throw new IllegalStateException("short reply");
					}
				};
			};
			// warm-up of twice a round each, so that C2 is done before the measured
			// rounds
			// (with half a round it still compiled the starter's paths then, which on one
			// CPU shows as tail latency: perf's finding in SocketCostMeasurement)
			run(rawCaller, clients, requests * 2);
			run(localCaller, clients, requests * 2);
			run(shmCaller, clients, requests * 2);
			Result rawTotal = new Result();
			Result localTotal = new Result();
			Result shmTotal = new Result();
			for (int round = 0; round < rounds; round++) {
				rawTotal.add(run(rawCaller, clients, requests));
				localTotal.add(run(localCaller, clients, requests));
				shmTotal.add(run(shmCaller, clients, requests));
			}
			System.out.println("raw     " + rawTotal);
			System.out.println("local   " + localTotal);
			System.out.println("shm     " + shmTotal);
			for (Result total : List.of(rawTotal, localTotal, shmTotal)) {
				System.out.println(String.format(Locale.ROOT,
						"  mean %.2f  p75 %.2f  p90 %.2f  p95 %.2f  p98 %.2f  p99 %.2f  p99.9 %.2f us", total.mean(),
						total.percentile(0.75), total.percentile(0.90), total.percentile(0.95), total.percentile(0.98),
						total.p99(), total.percentile(0.999)));
			}
			System.out.println(String.format(Locale.ROOT,
					"shm/local  p50 %.2fx  p99 %.2fx  throughput %.2fx  cpu/req %.2fx  (shm p99/own p50 %.2fx)",
					shmTotal.p50() / localTotal.p50(), shmTotal.p99() / localTotal.p99(),
					shmTotal.throughput() / localTotal.throughput(),
					shmTotal.cpuPerRequest() / localTotal.cpuPerRequest(), shmTotal.p99() / shmTotal.p50()));
			System.out.println(String.format(Locale.ROOT,
					"shm/raw    p50 %.2fx  p99 %.2fx  throughput %.2fx  cpu/req %.2fx", shmTotal.p50() / rawTotal.p50(),
					shmTotal.p99() / rawTotal.p99(), shmTotal.throughput() / rawTotal.throughput(),
					shmTotal.cpuPerRequest() / rawTotal.cpuPerRequest()));
			for (SocketChannel channel : rawClients) {
				channel.close();
			}
			for (SocketChannel channel : localClients) {
				channel.close();
			}
		}
	}

	private static Caller socketCaller(List<SocketChannel> channels) {
		return (c) -> {
			SocketChannel channel = channels.get(c);
			ByteBuffer request = RawSockets.frame("line", 64);
			ByteBuffer reply = ByteBuffer.allocateDirect(1024);
			return () -> RawSockets.roundTrip(channel, request, reply, true);
		};
	}

	private static void streaming(Path dir, IpcClient shm, Sink sink, int messages, int size, int rounds)
			throws Exception {
		try (RawSockets.RawServer raw = RawSockets.RawServer.sink(RawSockets.address("local", dir, "raw.sock"))) {
			SocketChannel rawChannel = RawSockets.connect(raw.address());
			SocketChannel localChannel = RawSockets.connect(RawSockets.address("local", dir, "local.sock"));
			ByteBuffer frame = RawSockets.frame("length-prefixed", size);
			byte[] payload = new byte[size];
			double[] rawRate = new double[rounds + 1];
			double[] localRate = new double[rounds + 1];
			double[] shmRate = new double[rounds + 1];
			for (int round = 0; round <= rounds; round++) {
				// round 0 warms up
				long begin = System.nanoTime();
				for (int i = 0; i < messages; i++) {
					RawSockets.writeFully(rawChannel, frame);
				}
				rawRate[round] = mibPerSecond(messages, size, System.nanoTime() - begin);
				long target = sink.local.get() + (long) messages * size;
				begin = System.nanoTime();
				for (int i = 0; i < messages; i++) {
					RawSockets.writeFully(localChannel, frame);
				}
				while (sink.local.get() < target) {
					Thread.onSpinWait();
				}
				localRate[round] = mibPerSecond(messages, size, System.nanoTime() - begin);
				target = sink.shm.get() + (long) messages * size;
				begin = System.nanoTime();
				for (int i = 0; i < messages; i++) {
					shm.send(payload);
				}
				while (sink.shm.get() < target) {
					Thread.onSpinWait();
				}
				shmRate[round] = mibPerSecond(messages, size, System.nanoTime() - begin);
			}
			double rawMean = Arrays.stream(rawRate, 1, rounds + 1).average().orElse(0);
			double localMean = Arrays.stream(localRate, 1, rounds + 1).average().orElse(0);
			double shmMean = Arrays.stream(shmRate, 1, rounds + 1).average().orElse(0);
			System.out.println(String.format(Locale.ROOT,
					"%d x %d B one-way: raw %.0f MiB/s  local %.0f MiB/s  shm %.0f MiB/s;  shm/local %.2fx  shm/raw %.2fx",
					messages, size, rawMean, localMean, shmMean, shmMean / localMean, shmMean / rawMean));
			rawChannel.close();
			localChannel.close();
		}
	}

	private static double mibPerSecond(int messages, int size, long nanos) {
		return (double) messages * size / (1024 * 1024) / (nanos / 1e9);
	}

	private static Result run(Caller caller, int clients, int requests) throws Exception {
		int perClient = requests / clients;
		long[][] latencies = new long[clients][perClient];
		CountDownLatch start = new CountDownLatch(1);
		List<Thread> threads = new ArrayList<>();
		for (int c = 0; c < clients; c++) {
			long[] mine = latencies[c];
			ThrowingRunnable call = caller.forClient(c);
			Thread thread = new Thread(() -> {
				try {
					start.await();
					for (int i = 0; i < perClient; i++) {
						long begin = System.nanoTime();
						call.run();
						mine[i] = System.nanoTime() - begin;
					}
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			}, "bench-client-" + c);
			threads.add(thread);
			thread.start();
		}
		long switches = ProcessCounters.switches();
		long cpu = ProcessCounters.cpu();
		long begin = System.nanoTime();
		start.countDown();
		for (Thread thread : threads) {
			thread.join();
		}
		Result result = new Result();
		result.nanos = System.nanoTime() - begin;
		result.cpuNanos = ProcessCounters.cpu() - cpu;
		result.switches = ProcessCounters.switches() - switches;
		result.requests = (long) perClient * clients;
		result.latencies = Arrays.stream(latencies).flatMapToLong(Arrays::stream).toArray();
		return result;
	}

	@FunctionalInterface
	interface ThrowingRunnable {

		void run() throws Exception;

	}

	@FunctionalInterface
	interface Caller {

		ThrowingRunnable forClient(int client) throws Exception;

	}

	private static final class Result {

		long nanos;

		long cpuNanos;

		long switches;

		long requests;

		long[] latencies = new long[0];

		void add(Result other) {
			this.nanos += other.nanos;
			this.cpuNanos += other.cpuNanos;
			this.switches += other.switches;
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

		double mean() {
			return Arrays.stream(this.latencies).average().orElse(0) / 1000.0;
		}

		double throughput() {
			return this.requests * 1e9 / this.nanos;
		}

		double cpuPerRequest() {
			return this.cpuNanos / 1000.0 / this.requests;
		}

		@Override
		public String toString() {
			return String.format(Locale.ROOT,
					"p50 %7.2f us  p99 %7.2f us  %9.0f req/s  cpu %6.2f us/req  switches %5.2f/req", p50(), p99(),
					throughput(), cpuPerRequest(), (double) this.switches / this.requests);
		}

	}

	/** The two servers' listeners: echo for requests, count for streams. */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	public static class BenchApplication {

		@Bean
		Sink sink() {
			return new Sink();
		}

	}

	/** Echoes short messages (requests), counts long ones (streams), on both servers. */
	public static class Sink {

		final AtomicLong local = new AtomicLong();

		final AtomicLong shm = new AtomicLong();

		@IpcListener("local")
		public byte[] local(ByteBuffer message) {
			return handle(message, this.local);
		}

		@IpcListener("shm")
		public byte[] shm(ByteBuffer message) {
			return handle(message, this.shm);
		}

		private static byte[] handle(ByteBuffer message, AtomicLong counter) {
			int length = message.remaining();
			if (length <= 1024) {
				byte[] reply = new byte[length];
				message.get(reply);
				return reply;
			}
			counter.addAndGet(length);
			return null;
		}

	}

}
