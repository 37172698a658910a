package dev.ipcboot.process;

import java.util.Optional;
import java.util.Set;

/**
 * Starts configured processes ({@code ipc.processes.<name>}) and ad-hoc ones, and stops
 * all of them, with their descendants, when the application context closes.
 */
public interface ProcessManager {

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
