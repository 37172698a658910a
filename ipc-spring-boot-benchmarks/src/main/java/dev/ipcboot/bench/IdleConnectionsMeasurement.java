package dev.ipcboot.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Scenario 11, a measurement rather than a JMH benchmark: 10,000 idle local connections
 * to an {@code @IpcListener} server and to the plain JDK one-selector server, each server
 * alone in a child JVM ({@code -Xmx256m}), the client ends in a third JVM (the open-file
 * limit is per process). Reports the server's threads of its own ({@code ipc-*} for the
 * starter, {@code bench-*} for the baseline) and its RSS growth from ready to holding all
 * connections.
 */
public final class IdleConnectionsMeasurement {

	static final int CONNECTIONS = 10_000;

	private IdleConnectionsMeasurement() {
	}

	/**
	 * {@code server <starter|baseline> <path>}, {@code clients <path> <count>}, or no
	 * arguments: measure both and print the two table rows.
	 */
	public static void main(String[] args) throws Exception {
		if (args.length > 0 && args[0].equals("server")) {
			server(args[1], Path.of(args[2]));
		}
		else if (args.length > 0 && args[0].equals("clients")) {
			clients(Path.of(args[1]), Integer.parseInt(args[2]));
		}
		else {
			rows().forEach(System.out::println);
		}
	}

	/** The table rows: the starter against the one-selector baseline. */
	static List<String> rows() throws Exception {
		Result starter = measure("starter");
		Result baseline = measure("baseline");
		String ratio = String.format(Locale.ROOT, "%.2f", (double) starter.rssGrowthKiB / baseline.rssGrowthKiB);
		return List
			.of("| 11 10,000 idle local connections, threads of ours and RSS growth (IdleConnectionsMeasurement) | "
					+ starter + " | " + baseline + " | " + ratio + " (RSS growth) |  |  | "
					+ "`mvn -Pbench verify -Dbench.include=IdleConnections` |");
	}

	private static Result measure(String kind) throws Exception {
		Path dir = Files.createTempDirectory("ipc-bench-idle");
		Path socket = dir.resolve(kind + ".sock");
		Process server = child(List.of("-Xmx256m"), "server", kind, socket.toString());
		Process clients = null;
		try {
			BufferedReader serverOut = reader(server);
			long[] ready = state(expect(serverOut, "READY"));
			clients = child(List.of("-Xmx256m"), "clients", socket.toString(), Integer.toString(CONNECTIONS));
			expect(reader(clients), "CONNECTED " + CONNECTIONS);
			server.getOutputStream().write("state\n".getBytes(StandardCharsets.UTF_8));
			server.getOutputStream().flush();
			long[] held = state(expect(serverOut, "STATE"));
			return new Result((int) held[1], held[0] - ready[0]);
		}
		finally {
			if (clients != null) {
				clients.getOutputStream().close();
				if (!clients.waitFor(30, TimeUnit.SECONDS)) {
					clients.destroyForcibly();
				}
			}
			server.getOutputStream().close();
			if (!server.waitFor(60, TimeUnit.SECONDS)) {
				server.destroyForcibly();
			}
			Apps.delete(dir);
		}
	}

	private static Process child(List<String> jvmOptions, String... args) throws IOException {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(jvmOptions);
		command
			.addAll(List.of("-cp", System.getProperty("java.class.path"), IdleConnectionsMeasurement.class.getName()));
		command.addAll(List.of(args));
		return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
	}

	private static BufferedReader reader(Process process) {
		return new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
	}

	private static String expect(BufferedReader reader, String prefix) throws IOException {
		String line;
		while ((line = reader.readLine()) != null) {
			if (line.startsWith(prefix)) {
				return line;
			}
		}
		throw new IOException("child ended before printing " + prefix);
	}

	// "... rss=<kB> threads=<n>"
	private static long[] state(String line) {
		long rss = Long.parseLong(line.replaceAll(".*rss=(\\d+).*", "$1"));
		long threads = Long.parseLong(line.replaceAll(".*threads=(\\d+).*", "$1"));
		return new long[] { rss, threads };
	}

	private static void server(String kind, Path socket) throws IOException {
		PrintStream out = System.out;
		AutoCloseable server;
		String prefix;
		if (kind.equals("starter")) {
			ConfigurableApplicationContext context = Apps.run(SocketRequestReplyBenchmark.EchoApplication.class,
					"--ipc.servers.bench.path=" + socket, "--ipc.servers.bench.framing=line",
					"--ipc.servers.bench.max-connections=" + (CONNECTIONS + 100),
					"--ipc.servers.bench.max-connections-per-peer=" + (CONNECTIONS + 100));
			server = context::close;
			prefix = "ipc-";
		}
		else {
			server = new RawSelectorServer(UnixDomainSocketAddress.of(socket));
			prefix = "bench-";
		}
		out.println("READY " + serverState(prefix));
		BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		String command;
		while ((command = commands.readLine()) != null) {
			if (command.equals("state")) {
				out.println("STATE " + serverState(prefix));
			}
		}
		try {
			server.close();
		}
		catch (Exception ex) {
			throw new IOException(ex);
		}
		System.exit(0);
	}

	private static String serverState(String prefix) throws IOException {
		long rss = Files.readAllLines(Path.of("/proc/self/status"))
			.stream()
			.filter((line) -> line.startsWith("VmRSS:"))
			.mapToLong((line) -> Long.parseLong(line.replaceAll("[^0-9]", "")))
			.findFirst()
			.orElse(-1);
		long threads = Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((t) -> t.getName().startsWith(prefix))
			.count();
		return "rss=" + rss + " threads=" + threads;
	}

	private static void clients(Path socket, int count) throws IOException {
		List<SocketChannel> channels = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			channels.add(SocketChannel.open(UnixDomainSocketAddress.of(socket)));
		}
		System.out.println("CONNECTED " + channels.size());
		// hold them until the measuring parent closes our standard input (or dies)
		while (System.in.read() >= 0) {
			// nothing to do but wait
		}
		for (SocketChannel channel : channels) {
			channel.close();
		}
	}

	/** What one server cost. */
	record Result(int threads, long rssGrowthKiB) {

		@Override
		public String toString() {
			return String.format(Locale.ROOT, "%d thread(s), RSS %+.1f MiB", this.threads, this.rssGrowthKiB / 1024.0);
		}

	}

}
