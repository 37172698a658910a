package dev.ipcboot.bench;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.boot.context.metrics.buffering.StartupTimeline;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Start-up with and without the starter, the way the issue measured it: the same
 * application ({@code spring-boot-starter} and Jackson, a main that starts the context
 * and closes it) in a fresh JVM per run, once with the starter's jars on the class path
 * and once without them, alternating, and the medians of the whole process's wall time
 * (from the parent's {@code ProcessBuilder.start} to its exit) and CPU time (user and
 * system, every thread, the JIT compilers included), and the time
 * {@code SpringApplication.run} and {@code close()} took inside the child. Not a JMH
 * benchmark: a cold start happens once per JVM, and the without-starter side cannot be a
 * JMH parameter because its class path differs.
 * <p>
 * Sides: {@code without} (class path without the starter, its autoconfigure module and
 * the libraries only it brings: Spring Integration, Netty, junixsocket, JNA, dbus-java),
 * {@code none} (with the starter, nothing configured), and {@code all} (with the starter
 * and one of each facility, the arguments of {@link StartupBenchmark}), and
 * {@code excluded} (the starter's jars on the class path, its auto-configurations
 * excluded: what the jars cost by being there), and {@code none-x:<Name>[+<Name>...]}
 * (nothing configured, the named auto-configurations of {@code dev.ipcboot.autoconfigure}
 * excluded: what each costs). A side followed by {@code @last} (such as
 * {@code none@last}) puts the starter's jars behind all others on the class path: the JVM
 * looks for each class in the class path's jars in order, so jars ahead of Spring's cost
 * every class Spring loads a look-up in each of them. The benchmark module's own
 * libraries (Tomcat, Jetty's client, JMH) are left out of every side. With
 * {@code -Dstartup.before=<an older ipc-spring-boot-autoconfigure jar>} the sides
 * {@code before-none} and {@code before-all} run that jar instead, to compare two
 * versions of the starter in one run. {@code -Dstartup.jvm="<options>"} passes JVM
 * options to every child, for example {@code -XX:TieredStopAtLevel=1} (C1 only, which
 * removes most of the run-to-run spread of the JIT's CPU time).
 * <p>
 * Arguments: the number of rounds (default 9), then the sides (default
 * {@code without none all}). Run it with the benchmark module's class path.
 */
public final class StartupComparison {

	/** Jars only the starter brings. */
	private static final List<String> STARTER_ONLY = List.of("ipc-spring-boot-starter-",
			"ipc-spring-boot-autoconfigure-", "/org/springframework/integration/", "/io/netty/", "/com/kohlschutter/",
			"/net/java/dev/jna/", "/com/github/hypfvieh/", "/io/projectreactor/", "/org/reactivestreams/",
			"/spring-messaging-", "/compiler-annotations-", "/org.eclipse.jdt.annotation-",
			"/error_prone_annotations-");

	/** Jars of the benchmark module that the application under test does not have. */
	private static final List<String> BENCH_ONLY = List.of("/tomcat-", "-tomcat-", "-webmvc-", "/spring-webmvc-",
			"/spring-web-", "-web-server-", "-servlet-", "-http-converter-", "/org/eclipse/jetty/", "/jmh-",
			"/jopt-simple-", "/commons-math3-");

	private StartupComparison() {
	}

	/**
	 * Run the rounds and print one line per run and the medians.
	 * @param args rounds, then sides
	 * @throws Exception if a child fails
	 */
	public static void main(String[] args) throws Exception {
		int rounds = (args.length > 0) ? Integer.parseInt(args[0]) : 9;
		List<String> sides = (args.length > 1) ? List.of(args).subList(1, args.length)
				: List.of("without", "none", "all");
		Map<String, List<long[]>> results = new LinkedHashMap<>();
		sides.forEach((side) -> results.put(side, new ArrayList<>()));
		System.out.printf("load average before: %s%n", Files.readString(Path.of("/proc/loadavg")).trim());
		for (int round = 0; round < rounds; round++) {
			// alternate the order, so that neither side always runs after the other
			List<String> order = new ArrayList<>(sides);
			if (round % 2 == 1) {
				java.util.Collections.reverse(order);
			}
			for (String side : order) {
				long[] run = run(side);
				results.get(side).add(run);
				System.out.printf("round %d %s wall=%d ms cpu=%d ms rss=%d MiB run=%d ms close=%d ms%n", round, side,
						run[0], run[1], run[2], run[3], run[4]);
			}
		}
		System.out.printf("load average after: %s%n", Files.readString(Path.of("/proc/loadavg")).trim());
		long[] base = medians(results.get(sides.get(0)));
		for (String side : sides) {
			long[] median = medians(results.get(side));
			System.out.printf(
					"median %s (%d runs): wall %d ms (%+d ms, %.2fx), cpu %d ms (%+d ms, %.2fx), peak rss %d MiB (%+d),"
							+ " SpringApplication.run %d ms (%+d), close %d ms (%+d)%n",
					side, results.get(side).size(), median[0], median[0] - base[0], (double) median[0] / base[0],
					median[1], median[1] - base[1], (double) median[1] / base[1], median[2], median[2] - base[2],
					median[3], median[3] - base[3], median[4], median[4] - base[4]);
		}
	}

	private static long[] run(String named) throws IOException, InterruptedException {
		boolean last = named.endsWith("@last");
		String side = last ? named.substring(0, named.length() - "@last".length()) : named;
		List<String> classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
			.filter((entry) -> BENCH_ONLY.stream().noneMatch(entry::contains))
			.filter((entry) -> !side.equals("without") || STARTER_ONLY.stream().noneMatch(entry::contains))
			.map((entry) -> (side.startsWith("before-") && entry.contains("ipc-spring-boot-autoconfigure-"))
					? System.getProperty("startup.before") : entry)
			.toList();
		if (last) {
			// the same jars, the starter's behind the application's and Spring's: every
			// class the JVM looks up is looked for in the class path's jars in order
			List<String> reordered = new ArrayList<>(
					classPath.stream().filter((entry) -> STARTER_ONLY.stream().noneMatch(entry::contains)).toList());
			reordered
				.addAll(classPath.stream().filter((entry) -> STARTER_ONLY.stream().anyMatch(entry::contains)).toList());
			classPath = reordered;
		}
		Path dir = Files.createTempDirectory("ipc-startup");
		List<String> command = new ArrayList<>(
				List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
						String.join(File.pathSeparator, classPath), Child.class.getName()));
		String jvmOptions = System.getProperty("startup.jvm", "").trim();
		if (!jvmOptions.isEmpty()) {
			command.addAll(1, List.of(jvmOptions.split("\\s+")));
		}
		command.addAll(StartupBenchmark.arguments(side.endsWith("all") ? "all" : "none", dir));
		if (side.equals("excluded")) {
			command.add(StartupBenchmark.EXCLUDE);
		}
		if (side.startsWith("none-x:")) {
			// nothing configured, without the named auto-configurations of ours: what
			// they cost
			command.add("--spring.autoconfigure.exclude=" + Arrays.stream(side.substring(7).split("\\+"))
				.map((name) -> "dev.ipcboot.autoconfigure." + name)
				.collect(Collectors.joining(",")));
		}
		long start = System.nanoTime();
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
			throw new IllegalStateException(side + " failed: " + output);
		}
		long wall = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
		output.lines()
			.filter((line) -> line.startsWith("step "))
			.forEach((line) -> System.out.println(side + " " + line));
		Apps.delete(dir);
		Map<String, Long> reported = output.lines()
			.filter((line) -> line.startsWith("startup-child "))
			.flatMap((line) -> Arrays.stream(line.substring("startup-child ".length()).split(" ")))
			.collect(Collectors.toMap((pair) -> pair.substring(0, pair.indexOf('=')),
					(pair) -> Long.parseLong(pair.substring(pair.indexOf('=') + 1))));
		if (!reported.containsKey("cpu")) {
			throw new IllegalStateException(side + " did not report: " + output);
		}
		return new long[] { wall, reported.get("cpu"), reported.get("rss"), reported.get("run"),
				reported.get("close") };
	}

	private static long[] medians(List<long[]> runs) {
		long[] median = new long[5];
		for (int i = 0; i < median.length; i++) {
			int index = i;
			long[] sorted = runs.stream().mapToLong((run) -> run[index]).sorted().toArray();
			median[i] = sorted[sorted.length / 2];
		}
		return median;
	}

	/**
	 * The application under test, in its own JVM: starts the context, closes it, prints
	 * its CPU time and peak RSS, and exits.
	 */
	public static final class Child {

		private Child() {
		}

		/**
		 * Start and close the application.
		 * @param args the application's arguments
		 * @throws IOException if {@code /proc} cannot be read
		 */
		public static void main(String[] args) throws IOException {
			SpringApplication application = new SpringApplication(dev.ipcboot.bench.startup.StartupApplication.class);
			application.setWebApplicationType(WebApplicationType.NONE);
			application.setLogStartupInfo(false);
			BufferingApplicationStartup steps = Boolean.getBoolean("startup.steps")
					? new BufferingApplicationStartup(100_000) : null;
			if (steps != null) {
				application.setApplicationStartup(steps);
			}
			String[] all = Arrays.copyOf(args, args.length + 2);
			all[args.length] = "--logging.level.root=warn";
			all[args.length + 1] = "--spring.main.banner-mode=off";
			long start = System.nanoTime();
			ConfigurableApplicationContext context = application.run(all);
			long ready = System.nanoTime();
			context.close();
			long closed = System.nanoTime();
			long cpu = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
				.getProcessCpuTime();
			long rss = Files.readAllLines(Path.of("/proc/self/status"))
				.stream()
				.filter((line) -> line.startsWith("VmHWM:"))
				.map((line) -> Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024)
				.findFirst()
				.orElse(0L);
			if (steps != null) {
				printSteps(steps);
			}
			System.out.println("startup-child cpu=" + TimeUnit.NANOSECONDS.toMillis(cpu) + " rss=" + rss + " run="
					+ TimeUnit.NANOSECONDS.toMillis(ready - start) + " close="
					+ TimeUnit.NANOSECONDS.toMillis(closed - ready));
		}

		/**
		 * Print the start-up steps that concern the starter (a bean, configuration class
		 * or condition of {@code dev.ipcboot}), one line each with its own duration, and
		 * their sum; {@code -Dstartup.steps=true} asks for them.
		 */
		private static void printSteps(BufferingApplicationStartup steps) {
			long total = 0;
			for (StartupTimeline.TimelineEvent event : steps.getBufferedTimeline().getEvents()) {
				StringBuilder tags = new StringBuilder();
				event.getStartupStep()
					.getTags()
					.forEach((tag) -> tags.append(tag.getKey()).append('=').append(tag.getValue()).append(' '));
				long micros = event.getDuration().toNanos() / 1000;
				if (event.getStartupStep().getName().equals("spring.boot.application.starting")
						|| tags.indexOf("dev.ipcboot") < 0 && tags.indexOf("ipc.") < 0 && tags.indexOf("Ipc") < 0) {
					if (micros >= 5000 && !event.getStartupStep().getName().startsWith("spring.boot.application")) {
						// a step of anyone's that took long: printed, not summed
						System.out.printf("step %6d us (other) %s %s%n", micros, event.getStartupStep().getName(),
								tags);
					}
					continue;
				}
				total += micros;
				if (micros >= 100) {
					System.out.printf("step %6d us %s %s%n", micros, event.getStartupStep().getName(), tags);
				}
			}
			System.out.printf("step total %d us (nested steps counted in each)%n", total);
		}

	}

}
