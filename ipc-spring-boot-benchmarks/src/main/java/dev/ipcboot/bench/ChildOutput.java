package dev.ipcboot.bench;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.ipcboot.process.ManagedProcess;
import dev.ipcboot.process.ProcessManager;

/** The two sides of the process output benchmarks. */
final class ChildOutput {

	private ChildOutput() {
	}

	/**
	 * Start a configured process and wait until its listener has counted the bytes.
	 * @return the count reached
	 */
	static long startAndAwait(ProcessManager processes, String name, AtomicLong counted, long bytes) {
		long target = counted.get() + bytes;
		ManagedProcess process = processes.start(name);
		if (!process.waitForFinished(Duration.ofSeconds(60))) {
			throw new IllegalStateException(name + " did not finish");
		}
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (counted.get() < target) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("the listener got " + counted.get() + " of " + target);
			}
			Thread.onSpinWait();
		}
		return target;
	}

	/**
	 * The baseline: start a child with {@link ProcessBuilder} and read its stdout pipe to
	 * the end in reads of the given size.
	 * @return the bytes read
	 */
	static long readAll(ProcessBuilder builder, int bufferSize) throws IOException, InterruptedException {
		Process process = builder.start();
		byte[] buffer = new byte[bufferSize];
		long total = 0;
		try (InputStream in = process.getInputStream()) {
			for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
				total += read;
			}
		}
		process.waitFor();
		return total;
	}

}
