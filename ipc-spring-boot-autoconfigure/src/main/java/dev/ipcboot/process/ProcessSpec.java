package dev.ipcboot.process;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
 * when the application dies, even by SIGKILL (by a guardian that the manager starts once)
 * @param stdin where standard input comes from: a pipe, the null device or a file
 * @param stdout where standard output goes: a pipe (to listeners), the null device or a
 * file
 * @param stderr where standard error goes, as standard output ({@link OutputMode#MERGED}
 * sends it wherever standard output goes)
 * @param removeEnvironment names of the application's variables not passed on
 * @param framing how piped output is cut into messages
 */
public record ProcessSpec(String name, List<String> command, boolean shell, @Nullable Path workingDirectory,
		Map<String, String> environment, boolean cleanEnvironment, OutputMode output, int maxLineLength,
		Duration stopTimeout, boolean dieWithParent, Redirect stdin, Redirect stdout, Redirect stderr,
		Set<String> removeEnvironment, OutputFraming framing) {

	/** Default {@link #maxLineLength()}: 64 KiB. */
	public static final int DEFAULT_MAX_LINE_LENGTH = 64 * 1024;

	/** Default {@link #stopTimeout()}: 10 seconds. */
	public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(10);

	/**
	 * Check and copy the settings.
	 * @throws IllegalArgumentException if the name or command is empty, the line length
	 * is not positive, the stop timeout is negative, stdin appends, or standard error is
	 * redirected while merged
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
		if (stdin.type() == Redirect.Type.APPEND) {
			throw new IllegalArgumentException(
					"Process '" + name + "': stdin cannot be " + stdin + "; use pipe, null or file:<path>");
		}
		if (output == OutputMode.MERGED && stderr.type() != Redirect.Type.PIPE) {
			throw new IllegalArgumentException("Process '" + name + "': stderr is " + stderr
					+ " but output is merged (stderr follows stdout); redirect stdout instead or use output: separate");
		}
		command = List.copyOf(command);
		environment = Map.copyOf(environment);
		removeEnvironment = Set.copyOf(removeEnvironment);
	}

	/**
	 * A spec with the settings of the first round and pipes for every stream.
	 * @param name the process name
	 * @param command program and arguments
	 * @param shell whether to run through {@code /bin/sh -c}
	 * @param workingDirectory working directory, {@code null} for the application's
	 * @param environment variables to add
	 * @param cleanEnvironment whether they are the whole environment
	 * @param output what happens to standard output and error
	 * @param maxLineLength longest line in bytes
	 * @param stopTimeout time between SIGTERM and SIGKILL
	 * @param dieWithParent whether the child dies with the application
	 */
	public ProcessSpec(String name, List<String> command, boolean shell, @Nullable Path workingDirectory,
			Map<String, String> environment, boolean cleanEnvironment, OutputMode output, int maxLineLength,
			Duration stopTimeout, boolean dieWithParent) {
		this(name, command, shell, workingDirectory, environment, cleanEnvironment, output, maxLineLength, stopTimeout,
				dieWithParent, Redirect.PIPE, Redirect.PIPE, Redirect.PIPE, Set.of(), OutputFraming.LINE);
	}

	/**
	 * A spec with the defaults: no shell, the application's working directory and
	 * environment, pipes, {@link OutputMode#SEPARATE} lines of up to 64 KiB, a 10 s stop
	 * timeout and death with the application.
	 * @param name the process name
	 * @param command program and arguments
	 * @return the spec
	 */
	public static ProcessSpec of(String name, String... command) {
		return new ProcessSpec(name, List.of(command), false, null, Map.of(), false, OutputMode.SEPARATE,
				DEFAULT_MAX_LINE_LENGTH, DEFAULT_STOP_TIMEOUT, true);
	}

	/**
	 * Copy with other redirects.
	 * @param stdin where standard input comes from
	 * @param stdout where standard output goes
	 * @param stderr where standard error goes
	 * @return the new spec
	 */
	public ProcessSpec withRedirects(Redirect stdin, Redirect stdout, Redirect stderr) {
		return new ProcessSpec(this.name, this.command, this.shell, this.workingDirectory, this.environment,
				this.cleanEnvironment, this.output, this.maxLineLength, this.stopTimeout, this.dieWithParent, stdin,
				stdout, stderr, this.removeEnvironment, this.framing);
	}

	/**
	 * Copy with other variables left out of the inherited environment.
	 * @param names the variable names
	 * @return the new spec
	 */
	public ProcessSpec withoutEnvironment(Set<String> names) {
		return new ProcessSpec(this.name, this.command, this.shell, this.workingDirectory, this.environment,
				this.cleanEnvironment, this.output, this.maxLineLength, this.stopTimeout, this.dieWithParent,
				this.stdin, this.stdout, this.stderr, names, this.framing);
	}

	/**
	 * Copy with another framing of the piped output.
	 * @param framing how output is cut into messages
	 * @return the new spec
	 */
	public ProcessSpec withFraming(OutputFraming framing) {
		return new ProcessSpec(this.name, this.command, this.shell, this.workingDirectory, this.environment,
				this.cleanEnvironment, this.output, this.maxLineLength, this.stopTimeout, this.dieWithParent,
				this.stdin, this.stdout, this.stderr, this.removeEnvironment, framing);
	}

	/**
	 * Copy with another shell setting.
	 * @param shell whether to run through {@code /bin/sh -c}
	 * @return the new spec
	 */
	public ProcessSpec withShell(boolean shell) {
		return new ProcessSpec(this.name, this.command, shell, this.workingDirectory, this.environment,
				this.cleanEnvironment, this.output, this.maxLineLength, this.stopTimeout, this.dieWithParent,
				this.stdin, this.stdout, this.stderr, this.removeEnvironment, this.framing);
	}

	/**
	 * Copy with another working directory.
	 * @param directory the directory, {@code null} for the application's
	 * @return the new spec
	 */
	public ProcessSpec withWorkingDirectory(@Nullable Path directory) {
		return new ProcessSpec(this.name, this.command, this.shell, directory, this.environment, this.cleanEnvironment,
				this.output, this.maxLineLength, this.stopTimeout, this.dieWithParent, this.stdin, this.stdout,
				this.stderr, this.removeEnvironment, this.framing);
	}

	/**
	 * Copy with other environment variables.
	 * @param environment the variables
	 * @param clean whether they are the whole environment
	 * @return the new spec
	 */
	public ProcessSpec withEnvironment(Map<String, String> environment, boolean clean) {
		return new ProcessSpec(this.name, this.command, this.shell, this.workingDirectory, environment, clean,
				this.output, this.maxLineLength, this.stopTimeout, this.dieWithParent, this.stdin, this.stdout,
				this.stderr, this.removeEnvironment, this.framing);
	}

	/**
	 * Copy with another output mode.
	 * @param output the mode
	 * @return the new spec
	 */
	public ProcessSpec withOutput(OutputMode output) {
		return new ProcessSpec(this.name, this.command, this.shell, this.workingDirectory, this.environment,
				this.cleanEnvironment, output, this.maxLineLength, this.stopTimeout, this.dieWithParent, this.stdin,
				this.stdout, this.stderr, this.removeEnvironment, this.framing);
	}

	/**
	 * Copy with another maximum line length.
	 * @param maxLineLength the length in bytes
	 * @return the new spec
	 */
	public ProcessSpec withMaxLineLength(int maxLineLength) {
		return new ProcessSpec(this.name, this.command, this.shell, this.workingDirectory, this.environment,
				this.cleanEnvironment, this.output, maxLineLength, this.stopTimeout, this.dieWithParent, this.stdin,
				this.stdout, this.stderr, this.removeEnvironment, this.framing);
	}

	/**
	 * Copy with another stop timeout.
	 * @param stopTimeout time between SIGTERM and SIGKILL
	 * @return the new spec
	 */
	public ProcessSpec withStopTimeout(Duration stopTimeout) {
		return new ProcessSpec(this.name, this.command, this.shell, this.workingDirectory, this.environment,
				this.cleanEnvironment, this.output, this.maxLineLength, stopTimeout, this.dieWithParent, this.stdin,
				this.stdout, this.stderr, this.removeEnvironment, this.framing);
	}

	/**
	 * Copy with another parent-death setting.
	 * @param dieWithParent whether the child and its process group are killed when the
	 * application dies
	 * @return the new spec
	 */
	public ProcessSpec withDieWithParent(boolean dieWithParent) {
		return new ProcessSpec(this.name, this.command, this.shell, this.workingDirectory, this.environment,
				this.cleanEnvironment, this.output, this.maxLineLength, this.stopTimeout, dieWithParent, this.stdin,
				this.stdout, this.stderr, this.removeEnvironment, this.framing);
	}

}
