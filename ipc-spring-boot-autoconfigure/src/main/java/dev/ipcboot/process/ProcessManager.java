package dev.ipcboot.process;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Starts configured processes ({@code ipc.processes.<name>}) and ad-hoc ones, and stops
 * all of them, with their descendants, when the application context closes.
 */
public interface ProcessManager {

	/** Bytes {@link #run(ProcessSpec, Duration)} keeps per stream: 1 MiB. */
	int DEFAULT_CAPTURE_LIMIT = 1024 * 1024;

	/**
	 * Start a configured process under supervision; if it is already running, return its
	 * current run.
	 * @param name the name under {@code ipc.processes}
	 * @return the run
	 * @throws IllegalArgumentException if no process has that name
	 * @throws ProcessStartException if it cannot be started (a failed-to-start event is
	 * published, and its restart policy may try again later)
	 */
	ManagedProcess start(String name);

	/**
	 * Start an ad-hoc process, unsupervised, with its output lines going to the log under
	 * logger {@code ipc.process.<name>} (standard output at INFO, standard error at
	 * WARN).
	 * @param spec what to run
	 * @return the run
	 * @throws ProcessStartException if it cannot be started
	 */
	ManagedProcess start(ProcessSpec spec);

	/**
	 * Start an ad-hoc process, unsupervised, with its output lines going to a handler.
	 * @param spec what to run
	 * @param output receives each line
	 * @return the run
	 * @throws ProcessStartException if it cannot be started
	 */
	ManagedProcess start(ProcessSpec spec, ProcessOutputHandler output);

	/**
	 * Run a command to its end and return its exit status and output, as Qt's
	 * {@code QProcess::execute} does: standard input is the null device unless the spec
	 * redirects it, piped output is captured up to 1 MiB per stream.
	 * @param spec what to run; its redirects apply, piped output is captured
	 * @param timeout how long it may run; when it passes, the process, its process group
	 * and every descendant are killed with SIGKILL
	 * @return how it ended and what it wrote
	 * @throws ProcessStartException if it cannot be started
	 */
	default ProcessResult run(ProcessSpec spec, Duration timeout) {
		return run(spec, null, timeout, DEFAULT_CAPTURE_LIMIT);
	}

	/**
	 * Run a command to its end, writing bytes to its standard input first, and return its
	 * exit status and output.
	 * @param spec what to run; its redirects apply, piped output is captured
	 * @param stdin bytes to write to standard input, which is then closed; {@code null}
	 * for the spec's stdin (a pipe becomes the null device)
	 * @param timeout how long it may run; when it passes, the process, its process group
	 * and every descendant are killed with SIGKILL and the result says
	 * {@link ProcessResult#timedOut()}
	 * @param maxCaptureBytes most bytes kept per stream; the rest is read and discarded
	 * and the result says {@link ProcessResult#truncated()}
	 * @return how it ended and what it wrote
	 * @throws ProcessStartException if it cannot be started
	 * @throws IllegalArgumentException if the timeout is not positive or the limit is
	 * negative
	 */
	ProcessResult run(ProcessSpec spec, byte @Nullable [] stdin, Duration timeout, int maxCaptureBytes);

	/**
	 * Start a program that is not supervised and outlives the application, as Qt's
	 * {@code QProcess::startDetached}: it is never stopped by the manager nor killed when
	 * the application dies, runs in a process group of its own, and its piped streams go
	 * to the null device (redirects to files apply).
	 * @param spec what to run; {@code dieWithParent}, {@code output} and {@code framing}
	 * do not apply
	 * @return the process id
	 * @throws ProcessStartException if it cannot be started
	 */
	long startDetached(ProcessSpec spec);

	/**
	 * Stop a configured process and its supervision: SIGTERM to it and its descendants,
	 * then SIGKILL after its stop timeout.
	 * @param name the name under {@code ipc.processes}
	 * @throws IllegalArgumentException if no process has that name
	 */
	void stop(String name);

	/**
	 * The current run of a configured process.
	 * @param name the name under {@code ipc.processes}
	 * @return the run, empty if it was never started
	 */
	Optional<ManagedProcess> find(String name);

	/**
	 * Names of the configured processes.
	 * @return the names, in configuration order
	 */
	Set<String> names();

}
