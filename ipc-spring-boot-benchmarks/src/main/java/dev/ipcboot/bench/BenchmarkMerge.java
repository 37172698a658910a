package dev.ipcboot.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Folds a partial run ({@code -Dbench.include=... -Dbench.merge=true}) into the committed
 * results: the rows and JSON entries of the classes that were re-run replace the old
 * ones, every other row stays as the full run left it, and the header says which rows
 * come from which run.
 */
final class BenchmarkMerge {

	private static final Pattern CLASS = Pattern.compile("-Dbench\\.include=(\\w+)`");

	private static final Pattern JSON_CLASS = Pattern.compile("\"benchmark\" : \"dev\\.ipcboot\\.bench\\.(\\w+)\\.");

	private BenchmarkMerge() {
	}

	/**
	 * Merge a partial run that was not merged when it ran.
	 * @param args the committed directory, the partial run's directory, the note line
	 */
	public static void main(String[] args) throws IOException {
		merge(Path.of(args[0]), Path.of(args[1]), args[2]);
	}

	/**
	 * Merge {@code partial/} into {@code out}.
	 * @param out the committed results directory
	 * @param partial the partial run's directory
	 * @param note one line saying what was re-run, how, and under what load
	 */
	static void merge(Path out, Path partial, String note) throws IOException {
		List<String> fresh = rows(Files.readAllLines(partial.resolve("RESULTS.md")));
		Set<String> rerun = new java.util.TreeSet<>();
		for (String row : fresh) {
			rerun.add(classOf(row));
		}
		List<String> lines = Files.readAllLines(out.resolve("RESULTS.md"));
		Map<String, String> table = new LinkedHashMap<>();
		List<String> header = new ArrayList<>();
		for (String line : lines) {
			if (line.startsWith("| ") && !line.startsWith("| Scenario") && !line.startsWith("|---")) {
				if (!rerun.contains(classOf(line))) {
					table.put(scenarioOf(line), line);
				}
			}
			else if (!line.startsWith("| Scenario") && !line.startsWith("|---") && !line.isEmpty()) {
				header.add(line);
			}
		}
		for (String row : fresh) {
			table.put(scenarioOf(row), row);
		}
		List<String> sorted = new ArrayList<>(table.keySet());
		java.util.Collections.sort(sorted);
		StringBuilder report = new StringBuilder();
		report.append(header.get(0)).append("\n\n");
		for (String line : header.subList(1, header.size())) {
			report.append(line).append('\n');
		}
		report.append(note).append("\n\n");
		report.append(
				"| Scenario | Starter | Baseline | Ratio (starter/baseline) | Ratio p50 | Ratio p99 | Reproduce |\n");
		report.append("|---|---|---|---|---|---|---|\n");
		for (String scenario : sorted) {
			report.append(table.get(scenario)).append('\n');
		}
		Files.writeString(out.resolve("RESULTS.md"), report.toString());
		for (String json : List.of("results.json", "results-one-cpu.json")) {
			if (Files.exists(partial.resolve(json)) && Files.exists(out.resolve(json))) {
				Files.writeString(out.resolve(json),
						mergeJson(Files.readString(out.resolve(json)), Files.readString(partial.resolve(json)), rerun));
			}
		}
	}

	private static List<String> rows(List<String> lines) {
		return lines.stream()
			.filter((line) -> line.startsWith("| ") && !line.startsWith("| Scenario") && !line.startsWith("|---"))
			.toList();
	}

	private static String classOf(String row) {
		Matcher matcher = CLASS.matcher(row);
		return matcher.find() ? matcher.group(1) : row;
	}

	private static String scenarioOf(String row) {
		return row.substring(2, row.indexOf(" | "));
	}

	// JMH writes one object per benchmark run, each starting on a line of its own " {"
	static String mergeJson(String committed, String partial, Set<String> rerun) {
		List<String> kept = new ArrayList<>();
		for (String entry : entries(committed)) {
			Matcher matcher = JSON_CLASS.matcher(entry);
			if (!matcher.find() || !rerun.contains(matcher.group(1))) {
				kept.add(entry);
			}
		}
		kept.addAll(entries(partial));
		return "[\n" + String.join(",\n", kept) + "\n]\n";
	}

	private static List<String> entries(String json) {
		String body = json.trim();
		body = body.substring(1, body.length() - 1).trim();
		List<String> entries = new ArrayList<>();
		if (body.isEmpty()) {
			return entries;
		}
		String[] parts = body.split("\n    },\n    \\{");
		for (int i = 0; i < parts.length; i++) {
			// the split took the closing brace of one entry and the opening one of the
			// next
			String entry = ((i > 0) ? "{" : "") + parts[i] + ((i < parts.length - 1) ? "\n    }" : "");
			entries.add("    " + entry.strip());
		}
		return entries;
	}

}
