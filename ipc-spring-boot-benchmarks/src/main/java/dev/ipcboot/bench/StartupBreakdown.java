package dev.ipcboot.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;

/**
 * Where the start-up time of {@link StartupBenchmark}'s application goes: one cold start
 * in this JVM, printed as one line of wall time per phase, the CPU time of the main
 * thread and of the whole process, and the CPU time of each native thread (the JIT
 * compiler threads included, which {@code ThreadMXBean} does not show; the main thread is
 * {@code java} there). Start it in a fresh JVM per run, alternating the two sides, and
 * compare medians: on a shared 2-CPU machine CPU times vary far less than wall times. Not
 * a benchmark: it measures the same applications as {@code StartupBenchmark} to explain
 * its result.
 * <p>
 * Arguments: {@code none} or {@code all}, then {@code starter} or {@code baseline}.
 * Phases: {@code toBeans} from {@code SpringApplication.run} to the end of the bean
 * factory post-processing (environment, auto-configuration and bean definitions),
 * {@code beans} the creation of the singletons, {@code lifecycle} the start of the
 * lifecycle beans.
 */
public final class StartupBreakdown {

	private StartupBreakdown() {
	}

	/**
	 * Start the application once, print the line and close it.
	 * @param args the facilities ({@code none} or {@code all}) and the side
	 * ({@code starter} or {@code baseline})
	 * @throws IOException if the temporary directory or {@code /proc} cannot be read
	 */
	public static void main(String[] args) throws IOException {
		String facilities = args[0];
		boolean starter = args[1].equals("starter");
		Path dir = Files.createTempDirectory("ipc-bench");
		List<String> arguments = StartupBenchmark.arguments(facilities, dir);
		if (!starter) {
			arguments.add(StartupBenchmark.EXCLUDE);
		}
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		long[] marks = new long[3];
		long processCpu = processCpuNanos();
		long mainCpu = threads.getCurrentThreadCpuTime();
		long start = System.nanoTime();
		ConfigurableApplicationContext context = Apps.run(dev.ipcboot.bench.startup.StartupApplication.class,
				(created) -> {
					created.addBeanFactoryPostProcessor((beanFactory) -> marks[0] = System.nanoTime());
					created.getBeanFactory()
						.registerSingleton("startupBreakdownFirst", new Mark(marks, 1, Integer.MIN_VALUE));
					created.getBeanFactory()
						.registerSingleton("startupBreakdownLast", new Mark(marks, 2, Integer.MAX_VALUE));
				}, arguments.toArray(String[]::new));
		long ready = System.nanoTime();
		processCpu = processCpuNanos() - processCpu;
		mainCpu = threads.getCurrentThreadCpuTime() - mainCpu;
		System.out.printf(
				"%s %s wall=%d toBeans=%d beans=%d lifecycle=%d mainCpu=%d processCpu=%d classes=%d threads=%s%n",
				facilities, args[1], millis(ready - start), millis(marks[0] - start), millis(marks[1] - marks[0]),
				millis(marks[2] - marks[1]), millis(mainCpu), millis(processCpu),
				ManagementFactory.getClassLoadingMXBean().getLoadedClassCount(), nativeThreadCpu());
		context.close();
		Apps.delete(dir);
	}

	private static long processCpuNanos() {
		return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime();
	}

	/**
	 * CPU milliseconds per native thread name (numbers folded, so compiler and GC threads
	 * add up) of the threads still alive; threads that ended are only in the process
	 * total.
	 */
	private static Map<String, Long> nativeThreadCpu() throws IOException {
		Map<String, Long> cpu = new TreeMap<>();
		try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
			for (Path task : (Iterable<Path>) tasks::iterator) {
				String name = Files.readString(task.resolve("comm")).trim().replaceAll("[0-9]+$", "#");
				String stat = Files.readString(task.resolve("stat"));
				String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
				// utime and stime, in clock ticks of 10 ms
				long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
				if (ticks > 0) {
					cpu.merge(name, ticks * 10, Long::sum);
				}
			}
		}
		return cpu;
	}

	private static long millis(long nanos) {
		return nanos / 1_000_000;
	}

	/** Notes when the lifecycle processor reaches its phase. */
	private static final class Mark implements SmartLifecycle {

		private final long[] marks;

		private final int index;

		private final int phase;

		private boolean running;

		Mark(long[] marks, int index, int phase) {
			this.marks = marks;
			this.index = index;
			this.phase = phase;
		}

		@Override
		public void start() {
			this.marks[this.index] = System.nanoTime();
			this.running = true;
		}

		@Override
		public void stop() {
			this.running = false;
		}

		@Override
		public boolean isRunning() {
			return this.running;
		}

		@Override
		public int getPhase() {
			return this.phase;
		}

	}

}
