package dev.ipcboot.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * What the measurement tools read about this process: its CPU time and the context
 * switches of all its threads.
 */
final class ProcessCounters {

	private ProcessCounters() {
	}

	/** CPU time of the whole process, in nanoseconds (10 ms resolution here). */
	static long cpu() {
		return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime();
	}

	/** Voluntary and involuntary context switches of all threads of this process. */
	static long switches() throws IOException {
		long total = 0;
		try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
			for (Path task : (Iterable<Path>) tasks::iterator) {
				try {
					for (String line : Files.readAllLines(task.resolve("status"))) {
						if (line.startsWith("voluntary_ctxt_switches:")
								|| line.startsWith("nonvoluntary_ctxt_switches:")) {
							total += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
						}
					}
				}
				catch (IOException ex) {
					// the thread ended
				}
			}
		}
		return total;
	}

}
