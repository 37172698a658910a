package dev.ipcboot.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import dev.ipcboot.IpcConfigurationException;
import dev.ipcboot.process.OutputMode;
import dev.ipcboot.process.ProcessSpec;
import dev.ipcboot.process.Redirect;
import dev.ipcboot.process.SupervisionPolicy;
import dev.ipcboot.process.internal.ProcessDefinition;

/**
 * Checks {@code ipc.processes} and turns each entry into a {@link ProcessDefinition}. A
 * working directory is not checked here: a missing one is a start failure, reported by an
 * event, because it may appear later.
 */
final class ProcessDefinitions {

	private ProcessDefinitions() {
	}

	static List<ProcessDefinition> of(ProcessProperties properties) {
		List<ProcessDefinition> definitions = new ArrayList<>();
		for (Map.Entry<String, ProcessProperties.Process> entry : properties.getProcesses().entrySet()) {
			definitions.add(of(entry.getKey(), entry.getValue()));
		}
		return definitions;
	}

	private static ProcessDefinition of(String name, ProcessProperties.Process process) {
		String prefix = "ipc.processes." + name + ".";
		if (process.getCommand().isEmpty() || process.getCommand().get(0).isBlank()) {
			throw new IpcConfigurationException(prefix + "command", "the command is empty",
					"Give the program and its arguments as a list, for example command: [python3, worker.py].");
		}
		notNegative(prefix + "restart-delay", process.getRestartDelay());
		notNegative(prefix + "restart-max-delay", process.getRestartMaxDelay());
		notNegative(prefix + "restart-window", process.getRestartWindow());
		notNegative(prefix + "stop-timeout", process.getStopTimeout());
		if (process.getRestartDelay().compareTo(process.getRestartMaxDelay()) > 0) {
			throw new IpcConfigurationException(prefix + "restart-delay",
					"restart-delay " + process.getRestartDelay() + " exceeds restart-max-delay "
							+ process.getRestartMaxDelay(),
					"Make restart-delay at most restart-max-delay: the delay starts at the first and doubles up to"
							+ " the second.");
		}
		if (process.getMaxRestarts() < 0) {
			throw new IpcConfigurationException(prefix + "max-restarts", "max-restarts is negative",
					"Give 0 or more restarts, or set restart: never.");
		}
		long maxLine = process.getMaxLineLength().toBytes();
		if (maxLine <= 0 || maxLine > Integer.MAX_VALUE - 8) {
			throw new IpcConfigurationException(prefix + "max-line-length",
					"max-line-length " + process.getMaxLineLength() + " is out of range",
					"Give a positive size below 2GB, for example 64KB.");
		}
		Path directory = (process.getWorkingDirectory() != null) ? Path.of(process.getWorkingDirectory()) : null;
		Redirect stdin = redirect(prefix + "stdin", process.getStdin());
		Redirect stdout = redirect(prefix + "stdout", process.getStdout());
		Redirect stderr = redirect(prefix + "stderr", process.getStderr());
		if (stdin.type() == Redirect.Type.APPEND) {
			throw new IpcConfigurationException(prefix + "stdin", "stdin cannot append",
					"Use pipe, null or file:<path> for stdin.");
		}
		if (process.getOutput() == OutputMode.MERGED && stderr.type() != Redirect.Type.PIPE) {
			throw new IpcConfigurationException(prefix + "stderr",
					"stderr is " + stderr + " but output is merged, so stderr follows stdout",
					"Redirect stdout instead (stderr goes with it), or set output: separate.");
		}
		ProcessSpec spec = new ProcessSpec(name, process.getCommand(), process.isShell(), directory,
				process.getEnvironment(), process.isCleanEnvironment() || !process.isInheritEnvironment(),
				process.getOutput(), (int) maxLine, process.getStopTimeout(), process.isDieWithParent(), stdin, stdout,
				stderr, new LinkedHashSet<>(process.getRemoveEnvironment()), process.getFraming());
		SupervisionPolicy supervision = new SupervisionPolicy(process.getRestart(), process.getRestartDelay(),
				process.getRestartMaxDelay(), process.getMaxRestarts(), process.getRestartWindow());
		return new ProcessDefinition(spec, supervision, process.isAutostart());
	}

	private static Redirect redirect(String property, String value) {
		try {
			return Redirect.parse(value);
		}
		catch (IllegalArgumentException ex) {
			throw new IpcConfigurationException(property, ex.getMessage(),
					"Give pipe, null, file:<path> or append:<path>, for example stdout: append:logs/worker.log.");
		}
	}

	private static void notNegative(String property, Duration value) {
		if (value.isNegative()) {
			throw new IpcConfigurationException(property, "the duration " + value + " is negative",
					"Give a duration of zero or more, for example 1s or 100ms.");
		}
	}

}
