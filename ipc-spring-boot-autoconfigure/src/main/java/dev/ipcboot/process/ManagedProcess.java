package dev.ipcboot.process;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

/**
 * One run of a child process, modelled on Qt's {@code QProcess}: its state, pid, standard
 * input, exit code and status. A supervised process that is restarted gets a new handle
 * per run; {@link ProcessManager#find(String)} returns the current one.
 */
public interface ManagedProcess {

	/**
	 * Name of the process.
	 * @return the name from configuration or from the {@link ProcessSpec}
	 */
	String name();

	/**
	 * The command as configured.
	 * @return program and arguments
	 */
	List<String> command();

	/**
	 * Current state.
	 * @return the state
	 */
	ProcessState state();

	/**
	 * Process id; it is also the id of the process group the child leads.
	 * @return the pid, or {@code -1} if it did not start
	 */
	long pid();

	/**
	 * Write bytes to the process's standard input, blocking while the pipe is full.
	 * @param bytes the bytes
	 * @throws IllegalStateException if standard input was closed or the process is not
	 * running
	 * @throws java.io.UncheckedIOException if the write fails (the process stopped
	 * reading); {@link #error()} is then {@link ProcessError#WRITE_ERROR}
	 */
	void write(byte[] bytes);

	/**
	 * Write text as UTF-8 to the process's standard input.
	 * @param text the text, with line feeds where the process expects them
	 * @see #write(byte[])
	 */
	default void write(String text) {
		write(text.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Close standard input, so the process reads end-of-file. Does nothing if already
	 * closed.
	 */
	void closeStdin();

	/**
	 * Wait until the process has started.
	 * @param timeout how long to wait
	 * @return {@code true} if it started, {@code false} if it failed to start or the time
	 * passed
	 */
	boolean waitForStarted(Duration timeout);

	/**
	 * Wait until the process has finished and been reaped.
	 * @param timeout how long to wait
	 * @return {@code true} if it finished, {@code false} if the time passed (then
	 * {@link #error()} is {@link ProcessError#TIMED_OUT}) or it never started
	 */
	boolean waitForFinished(Duration timeout);

	/**
	 * A future completed with this handle when the process has finished (or failed to
	 * start).
	 * @return the future
	 */
	CompletableFuture<ManagedProcess> onExit();

	/**
	 * Ask the process to end with SIGTERM. Does nothing once it has finished.
	 */
	void terminate();

	/**
	 * Kill the process with SIGKILL. Does nothing once it has finished.
	 */
	void kill();

	/**
	 * Exit code.
	 * @return the code the process passed to {@code exit}, or {@code -1} while running or
	 * when a signal killed it
	 */
	int exitCode();

	/**
	 * Exit status, exact (from {@code waitpid}, not guessed from the exit code).
	 * @return how it ended, or {@code null} while it has not finished
	 */
	@Nullable ExitStatus exitStatus();

	/**
	 * The signal that killed the process.
	 * @return the signal number (11 for SIGSEGV), or {@code 0} if none did
	 */
	int exitSignal();

	/**
	 * The last error that occurred.
	 * @return the error, or {@code null} if none
	 */
	@Nullable ProcessError error();

}
