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

import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the JMH suite and writes {@code results.json} (JMH's own format) and
 * {@code RESULTS.md}, a table that pairs every {@code starter*} benchmark with the
 * {@code baseline*} benchmark of the same class, name suffix and parameters, and reports
 * their ratio. Both sides of a pair run in the same JVM fork layout, on the same machine,
 * in the same run.
 */
public final class BenchmarkReport {

	private BenchmarkReport() {
	}

	public static void main(String[] args) throws RunnerException, IOException {
		Path out = Path.of((args.length > 0) ? args[0] : "bench-results");
		String include = (args.length > 1 && !args[1].isBlank()) ? args[1] : ".*";
		Files.createDirectories(out);
		Options options = new OptionsBuilder().include("dev\\.ipcboot\\.bench\\..*(" + include + ").*")
			.forks(1)
			.threads(1)
			.warmupIterations(3)
			.warmupTime(TimeValue.seconds(1))
			.measurementIterations(5)
			.measurementTime(TimeValue.seconds(1))
			.result(out.resolve("results.json").toString())
			.resultFormat(ResultFormatType.JSON)
			.build();
		Collection<RunResult> results = new Runner(options).run();
		Files.writeString(out.resolve("RESULTS.md"), table(results));
		System.out.println(table(results));
	}

	static String table(Collection<RunResult> results) {
		Map<String, Map<String, Result<?>>> pairs = new TreeMap<>();
		for (RunResult run : results) {
			String benchmark = run.getParams().getBenchmark();
			int dot = benchmark.lastIndexOf('.');
			String clazz = benchmark.substring(benchmark.lastIndexOf('.', dot - 1) + 1, dot);
			String method = benchmark.substring(dot + 1);
			String side = method.startsWith("starter") ? "starter"
					: method.startsWith("baseline") ? "baseline" : method;
			String suffix = method.substring(side.length());
			StringBuilder params = new StringBuilder();
			for (String key : run.getParams().getParamsKeys()) {
				params.append(params.length() == 0 ? " " : ", ")
					.append(key)
					.append('=')
					.append(run.getParams().getParam(key));
			}
			String scenario = clazz + (suffix.isEmpty() ? "" : "." + suffix) + params;
			pairs.computeIfAbsent(scenario, (k) -> new LinkedHashMap<>()).put(side, run.getPrimaryResult());
		}
		List<String> lines = new ArrayList<>();
		lines.add("| Scenario | Starter | Baseline | Ratio (starter/baseline) |");
		lines.add("|---|---|---|---|");
		pairs.forEach((scenario, sides) -> {
			Result<?> starter = sides.get("starter");
			Result<?> baseline = sides.get("baseline");
			String ratio = (starter != null && baseline != null && baseline.getScore() != 0)
					? String.format(Locale.ROOT, "%.2f", starter.getScore() / baseline.getScore()) : "n/a";
			lines.add("| " + scenario + " | " + format(starter) + " | " + format(baseline) + " | " + ratio + " |");
			sides.forEach((side, result) -> {
				if (!side.equals("starter") && !side.equals("baseline")) {
					lines.add("| " + scenario + " (" + side + ") | " + format(result) + " | | |");
				}
			});
		});
		return String.join("\n", lines) + "\n";
	}

	private static String format(Result<?> result) {
		if (result == null) {
			return "";
		}
		double error = result.getScoreError();
		String err = Double.isNaN(error) ? "" : String.format(Locale.ROOT, " ± %.2f", error);
		return String.format(Locale.ROOT, "%.2f%s %s", result.getScore(), err, result.getScoreUnit());
	}

}
