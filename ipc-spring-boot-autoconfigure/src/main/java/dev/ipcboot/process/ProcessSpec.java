package dev.ipcboot.process;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What to run and how: the immutable settings of one process, from
 * {@code ipc.processes.<name>} or built in code for an ad-hoc process.
 *
 * @param name name of the process, used for its channel, its threads, its logger and its
 * events
 * @param command program and arguments, passed verbatim to {@code exec} (no shell unless
 * {@code shell})
 * @param shell whether to run the command, joined with spaces, through {@code /bin/sh -c}
 * @param workingDirectory working directory, {@code null} for the application's
 * @param environment variables to add (or, with {@code cleanEnvironment}, the whole
 * environment)
 * @param cleanEnvironment whether the child gets only {@code environment} instead of the
 * application's environment plus {@code environment}
 * @param output what happens to standard output and error
 * @param maxLineLength longest line delivered as one message, in bytes; longer lines are
 * split
 * @param stopTimeout how long to wait after SIGTERM before SIGKILL
 * @param dieWithParent whether the child and the rest of its process group are killed
 * when the application dies, even by SIGKILL (by a guardian {@code /bin/sh} that the
 * manager starts once)
 */
public record ProcessSpec(String name, List<String> command, boolean shell, @Nullable Path workingDirectory,
		Map<String, String> environment, boolean cleanEnvironment, OutputMode output, int maxLineLength,
		Duration stopTimeout, boolean dieWithParent) {

	/** Default {@link #maxLineLength()}: 64 KiB. */
	public static final int DEFAULT_MAX_LINE_LENGTH = 64 * 1024;

	/** Default {@link #stopTimeout()}: 10 seconds. */
	public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(10);

	/**
	 * Check and copy the settings.
	 * @throws IllegalArgumentException if the name or command is empty, the line length
	 * is not positive or the stop timeout is negative
	 */
	public ProcessSpec {
		if (name.isBlank()) {
			throw new IllegalArgumentException("Process name must not be empty");
		}
		if (command.isEmpty() || command.get(0).isEmpty()) {
			throw new IllegalArgumentException("Process '" + name + "' has an empty command; give the program first");
		}
		if (maxLineLength <= 0) {
			throw new IllegalArgumentException("Process '" + name + "': maxLineLength must be positive");
		}
		if (stopTimeout.isNegative()) {
			throw new IllegalArgumentException("Process '" + name + "': stopTimeout must not be negative");
		}
		command = List.copyOf(command);
		environment = Map.copyOf(environment);
	}

	/**
	 * A spec with the defaults: no shell, the application's working directory and
	 * environment, {@link OutputMode#SEPARATE}, 64 KiB lines, a 10 s stop timeout and
	 * death with the application.
	 * @param name the process name
	 * @param command program and arguments
	 * @return the spec
	 */
	public static ProcessSpec of(String name, String... command) {
		return new ProcessSpec(name, List.of(command), false, null, Map.of(), false, OutputMode.SEPARATE,
				DEFAULT_MAX_LINE_LENGTH, DEFAULT_STOP_TIMEOUT, true);
	}

	/**
	 * Copy with another shell setting.
	 * @param shell whether to run through {@code /bin/sh -c}
	 * @return the new spec
	 */
	public ProcessSpec withShell(boolean shell) {
		return new ProcessSpec(this.name, this.command, shell, this.workingDirectory, this.environment,
				this.cleanEnvironment, this.output, this.maxLineLength, this.stopTimeout, this.dieWithParent);
	}

	/**
	 * Copy with another working directory.
	 * @param directory the directory, {@code null} for the application's
	 * @return the new spec
	 */
	public ProcessSpec withWorkingDirectory(@Nullable Path directory) {
		return new ProcessSpec(this.name, this.command, this.shell, directory, this.environment, this.cleanEnvironment,
				this.output, this.maxLineLength, this.stopTimeout, this.dieWithParent);
	}

	/**
	 * Copy with other environment variables.
	 * @param environment the variables
	 * @param clean whether they are the whole environment
	 * @return the new spec
	 */
	public ProcessSpec withEnvironment(Map<String, String> environment, boolean clean) {
		return new ProcessSpec(this.name, this.command, this.shell, this.workingDirectory, environment, clean,
				this.output, this.maxLineLength, this.stopTimeout, this.dieWithParent);
	}

	/**
	 * Copy with another output mode.
	 * @param output the mode
	 * @return the new spec
	 */
	public ProcessSpec withOutput(OutputMode output) {
		return new ProcessSpec(this.name, this.command, this.shell, this.workingDirectory, this.environment,
				this.cleanEnvironment, output, this.maxLineLength, this.stopTimeout, this.dieWithParent);
	}

	/**
	 * Copy with another maximum line length.
	 * @param maxLineLength the length in bytes
	 * @return the new spec
	 */
	public ProcessSpec withMaxLineLength(int maxLineLength) {
		return new ProcessSpec(this.name, this.command, this.shell, this.workingDirectory, this.environment,
				this.cleanEnvironment, this.output, maxLineLength, this.stopTimeout, this.dieWithParent);
	}

	/**
	 * Copy with another stop timeout.
	 * @param stopTimeout time between SIGTERM and SIGKILL
	 * @return the new spec
	 */
	public ProcessSpec withStopTimeout(Duration stopTimeout) {
		return new ProcessSpec(this.name, this.command, this.shell, this.workingDirectory, this.environment,
				this.cleanEnvironment, this.output, this.maxLineLength, stopTimeout, this.dieWithParent);
	}

	/**
	 * Copy with another parent-death setting.
	 * @param dieWithParent whether the child and its process group are killed when the
	 * application dies
	 * @return the new spec
	 */
	public ProcessSpec withDieWithParent(boolean dieWithParent) {
		return new ProcessSpec(this.name, this.command, this.shell, this.workingDirectory, this.environment,
				this.cleanEnvironment, this.output, this.maxLineLength, this.stopTimeout, dieWithParent);
	}

}
