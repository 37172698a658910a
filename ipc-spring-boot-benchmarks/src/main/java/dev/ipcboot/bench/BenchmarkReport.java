package dev.ipcboot.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.NoBenchmarksException;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the JMH suite and writes {@code results.json} (JMH's own format) and
 * {@code RESULTS.md}, a table that pairs every {@code starter*} benchmark with the
 * {@code baseline*} benchmark of the same class, name suffix and parameters, and reports
 * their ratio; a method {@code otherName_X} is another implementation of scenario X
 * (Spring Integration, {@code java.util.concurrent}) and gets a row with the starter's
 * ratio to it, and a method {@code starterVariant_X} is the starter used another way (a
 * listener with another signature) and gets a row of its own against the same baseline.
 * Both sides of a pair run in the same JVM fork layout, on the same machine, in the same
 * run.
 */
public final class BenchmarkReport {

	/** The latency scenarios that also run with the fork pinned to one CPU. */
	private static final List<String> ONE_CPU = List.of("SocketRequestReplyBenchmark",
			"SpringIntegrationGatewayBenchmark", "SocketClientBenchmark", "SemaphoreHandOffBenchmark",
			"DBusCallBenchmark", "ShmRequestReplyBenchmark");

	private BenchmarkReport() {
	}

	public static void main(String[] args) throws Exception {
		Path out = Path.of((args.length > 0) ? args[0] : "bench-results");
		String include = (args.length > 1 && !args[1].isBlank()) ? args[1] : ".*";
		boolean quick = args.length > 2 && Boolean.parseBoolean(args[2]);
		boolean merge = args.length > 3 && Boolean.parseBoolean(args[3]);
		Path committed = out;
		if (quick || !include.equals(".*")) {
			// the committed results are the full suite's; a partial or quick run must not
			// replace them
			out = out.resolve("partial");
		}
		Files.createDirectories(out);
		String load = loadAverage();
		long started = System.nanoTime();
		Collection<RunResult> results;
		try {
			results = new Runner(
					options("dev\\.ipcboot\\.bench\\..*(" + include + ").*", quick, out.resolve("results.json"), null))
				.run();
		}
		catch (NoBenchmarksException ex) {
			// the include names only the measurement below
			results = List.of();
		}
		// the latency scenarios once more with the whole fork (and its child processes)
		// on
		// one CPU: the placement of the reference figures, where a wake-up does
		// not
		// cross vCPUs
		List<String> pinned = new ArrayList<>();
		for (String clazz : ONE_CPU) {
			if (Pattern.compile(include).matcher(clazz).find()) {
				pinned.add(clazz);
			}
		}
		Collection<RunResult> oneCpu = List.of();
		if (!pinned.isEmpty()) {
			Path tmp = Files.createDirectories(out.resolve("tmp"));
			Path java = tmp.resolve("java-on-cpu0");
			Files.writeString(java,
					"#!/bin/sh\nexec taskset -c 0 '" + System.getProperty("java.home") + "/bin/java' \"$@\"\n");
			java.toFile().setExecutable(true);
			oneCpu = new Runner(options("dev\\.ipcboot\\.bench\\.(" + String.join("|", pinned) + ")\\..*", quick,
					out.resolve("results-one-cpu.json"), java.toString()))
				.run();
		}
		long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
		Map<String, Map<String, Result<?>>> pairs = new TreeMap<>();
		collect(results, "", pairs);
		collect(oneCpu, ", one CPU", pairs);
		String report = header(include, quick, load, seconds) + table(pairs);
		if (Pattern.compile(include).matcher("IdleConnectionsMeasurement").find()) {
			// not JMH: a measurement of what idle connections cost, with child JVMs
			report += String.join("\n", IdleConnectionsMeasurement.rows()) + "\n";
		}
		Files.writeString(out.resolve("RESULTS.md"), report);
		System.out.println(report);
		if (merge && !quick && !out.equals(committed)) {
			BenchmarkMerge.merge(committed, out,
					"- Rows of `" + include + "` re-run on " + java.time.LocalDate.now() + " with `mvn -Pbench verify "
							+ "-Dbench.include='" + include + "' -Dbench.merge=true` (JMH run time " + seconds
							+ " s; load average before: " + load + ", the machine shared with other builds); "
							+ "the other rows are the full run's");
		}
	}

	// forks, threads, iterations and times come from each class's annotations; quick mode
	// (-Dbench.quick=true) only checks that every benchmark runs
	private static Options options(String include, boolean quick, Path result, String jvm) {
		ChainedOptionsBuilder builder = new OptionsBuilder().include(include)
			.result(result.toString())
			.resultFormat(ResultFormatType.JSON);
		if (jvm != null) {
			builder.jvm(jvm);
		}
		if (quick) {
			builder.warmupIterations(1)
				.warmupTime(TimeValue.milliseconds(300))
				.measurementIterations(1)
				.measurementTime(TimeValue.milliseconds(500))
				.forks(1);
		}
		return builder.build();
	}

	private static String header(String include, boolean quick, String load, long seconds) {
		String command = "mvn -Pbench verify" + (include.equals(".*") ? "" : " -Dbench.include='" + include + "'")
				+ (quick ? " -Dbench.quick=true" : "");
		return "# Benchmark results\n\n" + "- Command: `" + command + "` (JMH " + "run time " + seconds + " s)\n"
				+ "- Machine: " + Runtime.getRuntime().availableProcessors() + " CPUs (" + cpuModel() + "), "
				+ System.getProperty("os.name") + " " + System.getProperty("os.version") + ", JDK "
				+ System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + "\n"
				+ "- Load average before the run (1, 5, 15 min): " + load + "\n"
				+ "- Placement: benchmark client, starter and baseline servers in one JVM fork (peers of the "
				+ "semaphore hand-off and the processes are child processes). Rows without a placement: threads "
				+ "on CPUs as the scheduler chooses, nothing pinned (on this idle machine client and server "
				+ "mostly run on different vCPUs). Rows marked \"one CPU\": the fork and its children pinned to "
				+ "CPU 0 with `taskset -c 0`, the placement of the issue's reference figures; their JSON is "
				+ "`results-one-cpu.json`. Rows with `placement=split` (16 clients): every server thread on CPU 1 "
				+ "and the 16 client threads on CPU 0 (`sched_setaffinity`), so that the ratio compares what "
				+ "each server does with one CPU; `placement=shared`: nothing pinned\n"
				+ "- Ratio is starter/baseline of the score: below 1 is better for times (us/op, ns/op, ms/op), "
				+ "above 1 is better for rates (ops/s, MiB/s). Errors are JMH's 99.9% intervals; p50/p99 come "
				+ "from SampleTime histograms\n\n";
	}

	private static String loadAverage() {
		try {
			String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
			return fields[0] + ", " + fields[1] + ", " + fields[2];
		}
		catch (IOException ex) {
			return "unknown (" + ex.getMessage() + ")";
		}
	}

	private static String cpuModel() {
		try {
			return Files.readAllLines(Path.of("/proc/cpuinfo"))
				.stream()
				.filter((line) -> line.startsWith("model name"))
				.map((line) -> line.substring(line.indexOf(':') + 1).trim())
				.findFirst()
				.orElse("unknown model");
		}
		catch (IOException ex) {
			return "unknown model";
		}
	}

	static void collect(Collection<RunResult> results, String placement, Map<String, Map<String, Result<?>>> pairs) {
		for (RunResult run : results) {
			String benchmark = run.getParams().getBenchmark();
			int dot = benchmark.lastIndexOf('.');
			String clazz = benchmark.substring(benchmark.lastIndexOf('.', dot - 1) + 1, dot);
			String method = benchmark.substring(dot + 1);
			// starterX and baselineX pair up; another implementation of X is named
			// otherName_X
			int underscore = method.indexOf('_');
			String side = (underscore > 0) ? method.substring(0, underscore)
					: method.startsWith("starter") ? "starter" : method.startsWith("baseline") ? "baseline" : method;
			String suffix = method.substring(side.length() + ((underscore > 0) ? 1 : 0));
			StringBuilder params = new StringBuilder();
			for (String key : run.getParams().getParamsKeys()) {
				params.append(params.length() == 0 ? " " : ", ")
					.append(key)
					.append('=')
					.append(run.getParams().getParam(key));
			}
			String scenario = describe(clazz) + placement + " (" + clazz + (suffix.isEmpty() ? "" : "." + suffix)
					+ params + ")";
			pairs.computeIfAbsent(scenario, (k) -> new LinkedHashMap<>()).put(side, run.getPrimaryResult());
		}
	}

	static String table(Map<String, Map<String, Result<?>>> pairs) {
		List<String> lines = new ArrayList<>();
		lines.add("| Scenario | Starter | Baseline | Ratio (starter/baseline) | Ratio p50 | Ratio p99 | Reproduce |");
		lines.add("|---|---|---|---|---|---|---|");
		pairs.forEach((scenario, sides) -> {
			Result<?> starter = sides.get("starter");
			lines.add(row(scenario, starter, sides.get("baseline")));
			// other implementations of the same scenario (Spring Integration,
			// java.util.concurrent):
			// the ratio is still the starter's score over theirs
			sides.forEach((side, result) -> {
				if (side.startsWith("starter") && !side.equals("starter")) {
					// the starter used another way: its own row, against the same
					// baseline
					lines.add(row(scenario + " with " + side.substring("starter".length()), result,
							sides.get("baseline")));
				}
				else if (!side.equals("starter") && !side.equals("baseline")) {
					lines.add(row(scenario + " vs " + side, starter, result));
				}
			});
		});
		return String.join("\n", lines) + "\n";
	}

	/** The scenario number and a few words; the number orders the table. */
	static String describe(String clazz) {
		return switch (clazz) {
			case "SocketRequestReplyBenchmark" -> "01-02 request/reply 64 B, @IpcListener vs JDK echo server";
			case "SpringIntegrationGatewayBenchmark" -> "02 TCP request/reply 64 B, @IpcListener vs Spring Integration";
			case "SocketThroughputBenchmark" -> "03 16 concurrent clients, requests/s";
			case "SocketStreamingBenchmark" -> "04 streaming 64 KiB length-prefixed frames";
			case "SocketClientBenchmark" -> "05 IpcClient.request vs JDK client";
			case "SharedMemoryLockBenchmark" -> "06 shared memory lock()+unlock()";
			case "SharedMemoryCopyBenchmark" -> "06 shared memory 1 MiB copy";
			case "SemaphoreHandOffBenchmark" -> "07 semaphore hand-off between processes";
			case "ProcessBenchmark" -> "08 processes";
			case "ProcessCaptureBenchmark" -> "08 processes: run-and-capture, binary output";
			case "DBusCallBenchmark" -> "09 D-Bus method call";
			case "DBusAsyncCallBenchmark" -> "09 D-Bus asynchronous calls, 16 in flight, calls/s";
			case "DBusSignalBenchmark" -> "09 D-Bus signals delivered, @IpcListener vs dbus-java handler";
			case "StartupBenchmark" -> "10 start-up to a ready context";
			case "SocketManyConnectionsBenchmark" ->
				"12 1,000 local/TCP connections x 100 requests, requests/s, @IpcListener vs one-selector JDK server";
			case "ShmRequestReplyBenchmark" ->
				"13 transport: shm request/reply 64 B vs our local socket (IpcClient/@IpcListener over shm vs JDK client to @IpcListener on local)";
			case "ShmThroughputBenchmark" ->
				"13 transport: shm, 16 concurrent clients, requests/s, vs our local socket";
			case "ShmStreamingBenchmark" ->
				"13 transport: shm one-way 64 KiB messages to a ByteBuffer listener vs our local socket";
			case "ListenerInvocationBenchmark" ->
				"14 listener core alone: one @IpcListener call up to its reply vs calling the method directly";
			default -> "99 " + clazz;
		};
	}

	private static String row(String scenario, Result<?> starter, Result<?> baseline) {
		return "| " + scenario + " | " + format(starter) + " | " + format(baseline) + " | "
				+ ratio(starter, baseline, Double.NaN) + " | " + ratio(starter, baseline, 50) + " | "
				+ ratio(starter, baseline, 99) + " | `mvn -Pbench verify -Dbench.include=" + clazzOf(scenario) + "` |";
	}

	private static String clazzOf(String scenario) {
		String inner = scenario.substring(scenario.lastIndexOf('(') + 1);
		return inner.substring(0, inner.indexOf('.'));
	}

	private static String ratio(Result<?> starter, Result<?> baseline, double percentile) {
		if (starter == null || baseline == null) {
			return "n/a";
		}
		boolean sampled = starter.getStatistics().getN() > 100 && baseline.getStatistics().getN() > 100;
		if (!Double.isNaN(percentile) && !sampled) {
			return "";
		}
		double s = Double.isNaN(percentile) ? starter.getScore() : starter.getStatistics().getPercentile(percentile);
		double b = Double.isNaN(percentile) ? baseline.getScore() : baseline.getStatistics().getPercentile(percentile);
		return (b != 0) ? String.format(Locale.ROOT, "%.2f", s / b) : "n/a";
	}

	private static String format(Result<?> result) {
		if (result == null) {
			return "";
		}
		double error = result.getScoreError();
		String err = Double.isNaN(error) ? "" : String.format(Locale.ROOT, " ± %.2f", error);
		String unit = result.getScoreUnit();
		if (result.getLabel().endsWith("MiB") && unit.equals("ops/s")) {
			// these benchmarks count one operation per MiB moved
			unit = "MiB/s";
		}
		String text = String.format(Locale.ROOT, "%.2f%s %s", result.getScore(), err, unit);
		if (result.getStatistics().getN() > 100) {
			text += String.format(Locale.ROOT, " (p50 %.2f, p99 %.2f)", result.getStatistics().getPercentile(50),
					result.getStatistics().getPercentile(99));
		}
		return text;
	}

}
