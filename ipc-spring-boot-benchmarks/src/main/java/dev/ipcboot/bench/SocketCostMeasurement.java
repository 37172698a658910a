package dev.ipcboot.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * A measurement rather than a JMH benchmark, for a loaded machine: the cost of one
 * request/reply (64 bytes, line framing) through an {@code @IpcListener} server against
 * the plain JDK thread-per-connection echo server, in the same JVM and run, alternating
 * rounds. Reports per request the process's CPU time and context switches (summed over
 * its threads from {@code /proc/self/task}), which survive a busy machine better than
 * latency, the bytes the servers' threads allocated per request, and the p50/p99 latency
 * with their ratios. Run it under {@code taskset -c 0} for the one-CPU rows.
 * <p>
 * Arguments:
 * {@code [transport=local|tcp] [framing=line|length-prefixed] [clients=1] [requests=20000] [rounds=3]
 * [warmup=2 x requests] [pin=split]} ({@code [only=starter|raw]} runs one server in both
 * columns, to profile it) and any {@code --ipc...} property for the server, for example
 * {@code --ipc.servers.bench.dispatch=event-loop}. {@code compare=io-uring} adds a third
 * server, the same in a second context whose socket engine runs on Netty's io_uring
 * transport, measured in the same rounds (row {@code io_uring}, its ratios against raw
 * and against the epoll engine). {@code compare=selector} adds the plain JDK readiness
 * loop, {@link RawSelectorServer} (one thread, one {@code Selector}, echo), in the same
 * rounds: what a readiness loop costs before any framework (row {@code selector}, its
 * ratio against raw, and the starter's against it). {@code pin=split} runs every server
 * thread on CPU 1 and the clients on CPU 0 ({@link CpuPinning}), for the 16-client rows.
 */
public final class SocketCostMeasurement {

	private SocketCostMeasurement() {
	}

	public static void main(String[] args) throws Exception {
		String transport = "local";
		String framing = "line";
		int size = 64;
		int clients = 1;
		int requests = 20_000;
		int rounds = 3;
		int warmup = -1;
		String only = "";
		boolean ioUring = false;
		boolean selector = false;
		boolean split = false;
		List<String> properties = new ArrayList<>();
		for (String arg : args) {
			if (arg.startsWith("--")) {
				properties.add(arg);
			}
			else if (arg.startsWith("transport=")) {
				transport = arg.substring(10);
			}
			else if (arg.startsWith("framing=")) {
				framing = arg.substring(8);
			}
			else if (arg.startsWith("size=")) {
				size = Integer.parseInt(arg.substring(5));
			}
			else if (arg.startsWith("clients=")) {
				clients = Integer.parseInt(arg.substring(8));
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
			else if (arg.equals("compare=io-uring")) {
				ioUring = true;
			}
			else if (arg.equals("compare=selector")) {
				selector = true;
			}
			else if (arg.equals("pin=split")) {
				split = true;
			}
			else if (arg.startsWith("only=")) {
				only = arg.substring(5);
			}
		}
		int cpus = Runtime.getRuntime().availableProcessors();
		if (split) {
			CpuPinning.requireTwoCpus();
			CpuPinning.pinCurrentThread(CpuPinning.SERVER_CPU);
		}
		Path dir = Files.createTempDirectory("ipc-cost");
		List<String> all = new ArrayList<>(List.of("--ipc.servers.bench.transport=" + transport,
				"--ipc.servers.bench.path=" + dir.resolve("starter.sock"), "--ipc.servers.bench.port=0",
				"--ipc.servers.bench.framing=" + framing));
		all.addAll(properties);
		try (RawSockets.RawServer raw = RawSockets.RawServer.echo(RawSockets.address(transport, dir, "raw.sock"));
				ConfigurableApplicationContext context = Apps.run(SocketRequestReplyBenchmark.EchoApplication.class,
						all.toArray(String[]::new));
				ConfigurableApplicationContext uringContext = ioUring ? uringContext(all, dir) : null;
				RawSelectorServer selectorServer = selector
						? new RawSelectorServer(RawSockets.address(transport, dir, "selector.sock")) : null) {
			List<SocketChannel> rawClients = new ArrayList<>();
			List<SocketChannel> starterClients = new ArrayList<>();
			List<SocketChannel> uringClients = new ArrayList<>();
			List<SocketChannel> selectorClients = new ArrayList<>();
			for (int i = 0; i < clients; i++) {
				if (selectorServer != null) {
					selectorClients.add(RawSockets.connect(selectorServer.address()));
				}
				rawClients.add(RawSockets.connect(raw.address()));
				starterClients
					.add(RawSockets.connect(SocketRequestReplyBenchmark.starterAddress(context, transport, dir)));
				if (uringContext != null) {
					uringClients.add(RawSockets.connect(
							SocketRequestReplyBenchmark.starterAddress(uringContext, transport, dir.resolve("uring"))));
				}
			}
			// warm-up: until both servers' paths are compiled (C2), which for the
			// starter's
			// longer path takes more calls than the raw server's; on one CPU a
			// compilation
			// still running steals the measured rounds' time
			int warmupRequests = (warmup >= 0) ? warmup : 2 * requests;
			run(rawClients, warmupRequests, framing, size, split);
			run(starterClients, warmupRequests, framing, size, split);
			if (uringContext != null) {
				run(uringClients, warmupRequests, framing, size, split);
			}
			if (selectorServer != null) {
				run(selectorClients, warmupRequests, framing, size, split);
			}
			Result rawTotal = new Result();
			Result selectorTotal = new Result();
			Result starterTotal = new Result();
			Result uringTotal = new Result();
			for (int round = 0; round < rounds; round++) {
				rawTotal.add(run(only.equals("starter") ? starterClients : rawClients, requests, framing, size, split));
				starterTotal.add(run(only.equals("raw") ? rawClients : starterClients, requests, framing, size, split));
				if (uringContext != null) {
					uringTotal.add(run(uringClients, requests, framing, size, split));
				}
				if (selectorServer != null) {
					selectorTotal.add(run(selectorClients, requests, framing, size, split));
				}
			}
			System.out.println("transport=" + transport + " framing=" + framing + " size=" + size + " clients="
					+ clients + " requests=" + requests + "x" + rounds + " cpus=" + cpus + (split ? " pin=split" : "")
					+ " " + properties);
			System.out.println("raw     " + rawTotal);
			System.out.println("starter " + starterTotal);
			System.out.println(ratio("ratio  ", starterTotal, rawTotal));
			if (uringContext != null) {
				System.out.println("io_uring " + uringTotal);
				System.out.println(ratio("ratio io_uring", uringTotal, rawTotal));
				System.out.println(ratio("io_uring/epoll", uringTotal, starterTotal));
			}
			if (selectorServer != null) {
				System.out.println("selector " + selectorTotal);
				System.out.println(ratio("ratio selector", selectorTotal, rawTotal));
				System.out.println(ratio("starter/selector", starterTotal, selectorTotal));
			}
			for (SocketChannel channel : rawClients) {
				channel.close();
			}
			for (SocketChannel channel : starterClients) {
				channel.close();
			}
			for (SocketChannel channel : uringClients) {
				channel.close();
			}
			for (SocketChannel channel : selectorClients) {
				channel.close();
			}
		}
		Apps.delete(dir);
	}

	private static String ratio(String label, Result result, Result base) {
		return String.format(Locale.ROOT,
				"%s p50 %.2fx  p99 %.2fx  throughput %.2fx  cpu/req %.2fx  switches/req %.2fx", label,
				result.p50() / base.p50(), result.p99() / base.p99(), result.throughput() / base.throughput(),
				result.cpuPerRequest() / base.cpuPerRequest(), result.switchesPerRequest() / base.switchesPerRequest());
	}

	/**
	 * The same server in a second context whose socket engine runs on io_uring (the
	 * engine reads the switch when it is created).
	 */
	private static ConfigurableApplicationContext uringContext(List<String> properties, Path dir) throws IOException {
		Path uring = Files.createDirectories(dir.resolve("uring"));
		List<String> all = new ArrayList<>(properties);
		all.replaceAll((property) -> property.startsWith("--ipc.servers.bench.path=")
				? "--ipc.servers.bench.path=" + uring.resolve("starter.sock") : property);
		System.setProperty("ipc.socket.io-uring", "true");
		try {
			return Apps.run(SocketRequestReplyBenchmark.EchoApplication.class, all.toArray(String[]::new));
		}
		finally {
			System.clearProperty("ipc.socket.io-uring");
		}
	}

	private static Result run(List<SocketChannel> channels, int requests, String framing, int size, boolean pinClients)
			throws Exception {
		int perClient = requests / channels.size();
		long[][] latencies = new long[channels.size()][perClient];
		long[] clientCpu = new long[channels.size()];
		long[] clientUser = new long[channels.size()];
		long[][] clientSwitches = new long[channels.size()][];
		CountDownLatch start = new CountDownLatch(1);
		List<Thread> threads = new ArrayList<>();
		for (int c = 0; c < channels.size(); c++) {
			SocketChannel channel = channels.get(c);
			long[] mine = latencies[c];
			int index = c;
			Thread thread = new Thread(() -> {
				ByteBuffer request = RawSockets.frame(framing, size);
				boolean line = framing.equals("line");
				ByteBuffer reply = ByteBuffer.allocateDirect(Math.max(1024, 2 * size));
				try {
					if (pinClients) {
						CpuPinning.pinCurrentThread(CpuPinning.CLIENT_CPU);
					}
					start.await();
					java.lang.management.ThreadMXBean own = ManagementFactory.getThreadMXBean();
					long cpuBefore = own.getCurrentThreadCpuTime();
					long userBefore = own.getCurrentThreadUserTime();
					long[] switchesBefore = threadSwitches(Path.of("/proc/thread-self"));
					for (int i = 0; i < perClient; i++) {
						long begin = System.nanoTime();
						RawSockets.roundTrip(channel, request, reply, line);
						mine[i] = System.nanoTime() - begin;
					}
					clientCpu[index] = own.getCurrentThreadCpuTime() - cpuBefore;
					clientUser[index] = own.getCurrentThreadUserTime() - userBefore;
					long[] switchesAfter = threadSwitches(Path.of("/proc/thread-self"));
					clientSwitches[index] = new long[] { switchesAfter[0] - switchesBefore[0],
							switchesAfter[1] - switchesBefore[1] };
				}
				catch (IOException | InterruptedException ex) {
					throw new IllegalStateException(ex);
				}
			}, "cost-client-" + c);
			threads.add(thread);
			thread.start();
		}
		java.util.Map<Long, Long> allocated = allocatedByServers();
		java.util.Map<Long, long[]> serverCpu = serverCpu();
		long switches = ProcessCounters.switches();
		long[] serverSwitches = serverSwitches();
		long faults = minorFaults();
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
		long[] serverSwitchesAfter = serverSwitches();
		result.serverVoluntary = serverSwitchesAfter[0] - serverSwitches[0];
		result.serverInvoluntary = serverSwitchesAfter[1] - serverSwitches[1];
		for (long[] client : clientSwitches) {
			result.clientVoluntary += client[0];
			result.clientInvoluntary += client[1];
		}
		result.faults = minorFaults() - faults;
		java.util.Map<Long, Long> allocatedAfter = allocatedByServers();
		allocatedAfter.forEach((id, bytes) -> result.allocated += bytes - allocated.getOrDefault(id, 0L));
		serverCpu().forEach((id, times) -> {
			long[] before = serverCpu.getOrDefault(id, new long[2]);
			result.serverCpuNanos += times[0] - before[0];
			result.serverUserNanos += times[1] - before[1];
		});
		result.clientCpuNanos = Arrays.stream(clientCpu).sum();
		result.clientUserNanos = Arrays.stream(clientUser).sum();
		result.requests = (long) perClient * channels.size();
		result.latencies = Arrays.stream(latencies).flatMapToLong(Arrays::stream).toArray();
		if (Boolean.getBoolean("cost.outliers") && channels.size() == 1) {
			outliers(latencies[0]);
		}
		return result;
	}

	/**
	 * Where a round's slow requests fall ({@code -Dcost.outliers=true}, one client): the
	 * requests over the round's 97th percentile, the gaps between them in requests (a
	 * fixed gap points at something done every N requests, such as a buffer chunk) and in
	 * time (a fixed period points at a timer).
	 */
	private static void outliers(long[] latencies) {
		long[] sorted = latencies.clone();
		Arrays.sort(sorted);
		long threshold = sorted[(int) (sorted.length * 0.97)];
		java.util.Map<Integer, Integer> gaps = new java.util.TreeMap<>();
		java.util.Map<Long, Integer> periods = new java.util.TreeMap<>();
		int last = -1;
		long lastTime = 0;
		long time = 0;
		int count = 0;
		for (int i = 0; i < latencies.length; i++) {
			time += latencies[i];
			if (latencies[i] > threshold) {
				count++;
				if (last >= 0) {
					gaps.merge(i - last, 1, Integer::sum);
					periods.merge((time - lastTime) / 100_000, 1, Integer::sum);
				}
				last = i;
				lastTime = time;
			}
		}
		List<java.util.Map.Entry<Integer, Integer>> topGaps = new ArrayList<>(gaps.entrySet());
		topGaps.sort(java.util.Map.Entry.<Integer, Integer>comparingByValue().reversed());
		List<java.util.Map.Entry<Long, Integer>> topPeriods = new ArrayList<>(periods.entrySet());
		topPeriods.sort(java.util.Map.Entry.<Long, Integer>comparingByValue().reversed());
		System.out.println("outliers over p97 (" + threshold / 1000.0 + " us): " + count
				+ "; commonest gaps in requests " + topGaps.subList(0, Math.min(8, topGaps.size())) + "; in 0.1 ms "
				+ topPeriods.subList(0, Math.min(8, topPeriods.size())));
	}

	/**
	 * Bytes allocated so far by each thread other than the measuring clients (the
	 * servers' threads: the raw server's, the event loops, the workers).
	 */
	private static java.util.Map<Long, Long> allocatedByServers() {
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
		java.util.Map<Long, Long> bytes = new java.util.HashMap<>();
		for (Thread thread : Thread.getAllStackTraces().keySet()) {
			if (!thread.getName().startsWith("cost-client-") && thread != Thread.currentThread()) {
				long allocated = threads.getThreadAllocatedBytes(thread.getId());
				if (allocated >= 0) {
					bytes.put(thread.getId(), allocated);
				}
			}
		}
		return bytes;
	}

	/**
	 * CPU and user time so far of each thread other than the measuring clients, read per
	 * thread (CPU time with nanosecond resolution, user time in clock ticks).
	 */
	private static java.util.Map<Long, long[]> serverCpu() {
		java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		java.util.Map<Long, long[]> times = new java.util.HashMap<>();
		for (Thread thread : Thread.getAllStackTraces().keySet()) {
			if (!thread.getName().startsWith("cost-client-") && thread != Thread.currentThread()) {
				long cpu = threads.getThreadCpuTime(thread.getId());
				long user = threads.getThreadUserTime(thread.getId());
				if (cpu >= 0 && user >= 0) {
					times.put(thread.getId(), new long[] { cpu, user });
				}
			}
		}
		return times;
	}

	/** Minor page faults of the process ({@code /proc/self/stat}, field 10). */
	private static long minorFaults() throws IOException {
		String stat = Files.readString(Path.of("/proc/self/stat"));
		String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
		return Long.parseLong(fields[7]);
	}

	/**
	 * Voluntary and involuntary context switches of a thread ({@code /proc/.../status}).
	 */
	private static long[] threadSwitches(Path task) {
		long[] counts = new long[2];
		try {
			for (String line : Files.readAllLines(task.resolve("status"))) {
				if (line.startsWith("voluntary_ctxt_switches:")) {
					counts[0] = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
				}
				else if (line.startsWith("nonvoluntary_ctxt_switches:")) {
					counts[1] = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
				}
			}
		}
		catch (IOException ex) {
			// the thread ended
		}
		return counts;
	}

	/**
	 * Voluntary and involuntary context switches of every thread of this process but the
	 * measuring clients and this one, summed.
	 */
	private static long[] serverSwitches() throws IOException {
		long[] total = new long[2];
		long self = Long.parseLong(Path.of("/proc/thread-self").toRealPath().getFileName().toString());
		try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
			for (Path task : (Iterable<Path>) tasks::iterator) {
				try {
					String comm = Files.readString(task.resolve("comm")).trim();
					if (comm.startsWith("cost-client-") || Long.parseLong(task.getFileName().toString()) == self) {
						continue;
					}
				}
				catch (IOException ex) {
					continue;
				}
				long[] counts = threadSwitches(task);
				total[0] += counts[0];
				total[1] += counts[1];
			}
		}
		return total;
	}

	private static final class Result {

		long nanos;

		long cpuNanos;

		long switches;

		long faults;

		long allocated;

		long serverCpuNanos;

		long serverUserNanos;

		long clientCpuNanos;

		long clientUserNanos;

		long serverVoluntary;

		long serverInvoluntary;

		long clientVoluntary;

		long clientInvoluntary;

		long requests;

		long[] latencies = new long[0];

		void add(Result other) {
			this.nanos += other.nanos;
			this.cpuNanos += other.cpuNanos;
			this.switches += other.switches;
			this.faults += other.faults;
			this.allocated += other.allocated;
			this.serverCpuNanos += other.serverCpuNanos;
			this.serverUserNanos += other.serverUserNanos;
			this.clientCpuNanos += other.clientCpuNanos;
			this.clientUserNanos += other.clientUserNanos;
			this.serverVoluntary += other.serverVoluntary;
			this.serverInvoluntary += other.serverInvoluntary;
			this.clientVoluntary += other.clientVoluntary;
			this.clientInvoluntary += other.clientInvoluntary;
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

		double perRequest(long nanos) {
			return nanos / 1000.0 / this.requests;
		}

		double switchesPerRequest() {
			return (double) this.switches / this.requests;
		}

		@Override
		public String toString() {
			return String.format(Locale.ROOT,
					"p50 %7.1f us  p99 %7.1f us  %9.0f req/s  cpu %6.2f us/req  switches %5.2f/req"
							+ "  server alloc %4.0f B/req  (p90 %.1f, p95 %.1f, p99.9 %.1f us; minor faults %.3f/req;"
							+ " server threads cpu %.2f us/req, user %.2f; clients cpu %.2f us/req, user %.2f;"
							+ " switches per req voluntary/involuntary: server threads %.2f/%.2f, clients %.2f/%.2f)",
					p50(), p99(), throughput(), cpuPerRequest(), switchesPerRequest(),
					(double) this.allocated / this.requests, percentile(0.90), percentile(0.95), percentile(0.999),
					(double) this.faults / this.requests, perRequest(this.serverCpuNanos),
					perRequest(this.serverUserNanos), perRequest(this.clientCpuNanos), perRequest(this.clientUserNanos),
					(double) this.serverVoluntary / this.requests, (double) this.serverInvoluntary / this.requests,
					(double) this.clientVoluntary / this.requests, (double) this.clientInvoluntary / this.requests);
		}

	}

}
