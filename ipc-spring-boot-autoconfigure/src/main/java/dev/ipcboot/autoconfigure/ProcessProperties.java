package dev.ipcboot.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

import dev.ipcboot.process.OutputFraming;
import dev.ipcboot.process.OutputMode;
import dev.ipcboot.process.RestartPolicy;

/**
 * Configuration of managed processes ({@code ipc.processes.<name>}).
 */
@ConfigurationProperties("ipc")
public class ProcessProperties {

	/**
	 * Child processes to supervise, by name; each name is also the channel its output
	 * lines arrive on.
	 */
	private Map<String, Process> processes = new LinkedHashMap<>();

	public Map<String, Process> getProcesses() {
		return this.processes;
	}

	public void setProcesses(Map<String, Process> processes) {
		this.processes = processes;
	}

	/**
	 * One supervised process.
	 */
	public static class Process {

		/**
		 * Program and arguments, passed verbatim to exec; the program is looked up on the
		 * PATH unless it contains a slash.
		 */
		private List<String> command = new ArrayList<>();

		/**
		 * Whether to run the command, joined with spaces, through /bin/sh -c.
		 */
		private boolean shell = false;

		/**
		 * Working directory of the process; the application's when not set. A missing
		 * directory makes the start fail.
		 */
		private @Nullable String workingDirectory;

		/**
		 * Environment variables to add to the application's environment.
		 */
		private Map<String, String> environment = new LinkedHashMap<>();

		/**
		 * Whether the process gets only the variables in 'environment' instead of the
		 * application's environment plus them. Deprecated alias of 'inherit-environment:
		 * false'.
		 */
		private boolean cleanEnvironment = false;

		/**
		 * Whether the process inherits the application's environment (plus
		 * 'environment'); false: it gets only 'environment'.
		 */
		private boolean inheritEnvironment = true;

		/**
		 * Names of the application's environment variables not passed on, so that secrets
		 * need not reach the child.
		 */
		private List<String> removeEnvironment = new ArrayList<>();

		/**
		 * Standard input of the process: pipe (written by replies and
		 * ManagedProcess.write), null, or file:<path>.
		 */
		private String stdin = "pipe";

		/**
		 * Standard output of the process: pipe (to listeners), null, file:<path>
		 * (truncated) or append:<path>; files are created owner-only.
		 */
		private String stdout = "pipe";

		/**
		 * Standard error of the process, as 'stdout'; with output 'merged' it follows
		 * stdout and must stay pipe.
		 */
		private String stderr = "pipe";

		/**
		 * How piped output is cut into messages: line, crlf, length-prefixed, stx-etx or
		 * raw (chunks as read), each a byte[] payload.
		 */
		private OutputFraming framing = OutputFraming.LINE;

		/**
		 * Whether to start the process when the application starts.
		 */
		private boolean autostart = true;

		/**
		 * When to start the process again after it ends.
		 */
		private RestartPolicy restart = RestartPolicy.ON_FAILURE;

		/**
		 * Delay before the first restart; doubles with each restart in a row.
		 */
		private Duration restartDelay = Duration.ofSeconds(1);

		/**
		 * Longest delay between restarts; a run that lasts this long resets the delay.
		 */
		private Duration restartMaxDelay = Duration.ofSeconds(30);

		/**
		 * Restarts allowed within 'restart-window'; one more and supervision gives up.
		 */
		private int maxRestarts = 5;

		/**
		 * Window in which 'max-restarts' counts restarts.
		 */
		private Duration restartWindow = Duration.ofMinutes(1);

		/**
		 * What happens to standard output and error: separate, merged or forwarded (to
		 * the log).
		 */
		private OutputMode output = OutputMode.SEPARATE;

		/**
		 * Longest output line or frame delivered as one message; longer lines are split,
		 * a longer length-prefixed frame is skipped with a warning.
		 */
		private DataSize maxLineLength = DataSize.ofKilobytes(64);

		/**
		 * Time between SIGTERM and SIGKILL when the process is stopped.
		 */
		private Duration stopTimeout = Duration.ofSeconds(10);

		/**
		 * Whether the process and the rest of its process group are killed when the
		 * application dies, even by SIGKILL: a guardian /bin/sh (a small Java program
		 * where there is no /bin/sh), started once, sees the application's pipe close and
		 * kills them. Not available with the ProcessBuilder fallback.
		 */
		private boolean dieWithParent = true;

		public List<String> getCommand() {
			return this.command;
		}

		public void setCommand(List<String> command) {
			this.command = command;
		}

		public boolean isShell() {
			return this.shell;
		}

		public void setShell(boolean shell) {
			this.shell = shell;
		}

		public @Nullable String getWorkingDirectory() {
			return this.workingDirectory;
		}

		public void setWorkingDirectory(@Nullable String workingDirectory) {
			this.workingDirectory = workingDirectory;
		}

		public Map<String, String> getEnvironment() {
			return this.environment;
		}

		public void setEnvironment(Map<String, String> environment) {
			this.environment = environment;
		}

		public boolean isCleanEnvironment() {
			return this.cleanEnvironment;
		}

		public void setCleanEnvironment(boolean cleanEnvironment) {
			this.cleanEnvironment = cleanEnvironment;
		}

		public boolean isInheritEnvironment() {
			return this.inheritEnvironment;
		}

		public void setInheritEnvironment(boolean inheritEnvironment) {
			this.inheritEnvironment = inheritEnvironment;
		}

		public List<String> getRemoveEnvironment() {
			return this.removeEnvironment;
		}

		public void setRemoveEnvironment(List<String> removeEnvironment) {
			this.removeEnvironment = removeEnvironment;
		}

		public String getStdin() {
			return this.stdin;
		}

		public void setStdin(String stdin) {
			this.stdin = stdin;
		}

		public String getStdout() {
			return this.stdout;
		}

		public void setStdout(String stdout) {
			this.stdout = stdout;
		}

		public String getStderr() {
			return this.stderr;
		}

		public void setStderr(String stderr) {
			this.stderr = stderr;
		}

		public OutputFraming getFraming() {
			return this.framing;
		}

		public void setFraming(OutputFraming framing) {
			this.framing = framing;
		}

		public boolean isAutostart() {
			return this.autostart;
		}

		public void setAutostart(boolean autostart) {
			this.autostart = autostart;
		}

		public RestartPolicy getRestart() {
			return this.restart;
		}

		public void setRestart(RestartPolicy restart) {
			this.restart = restart;
		}

		public Duration getRestartDelay() {
			return this.restartDelay;
		}

		public void setRestartDelay(Duration restartDelay) {
			this.restartDelay = restartDelay;
		}

		public Duration getRestartMaxDelay() {
			return this.restartMaxDelay;
		}

		public void setRestartMaxDelay(Duration restartMaxDelay) {
			this.restartMaxDelay = restartMaxDelay;
		}

		public int getMaxRestarts() {
			return this.maxRestarts;
		}

		public void setMaxRestarts(int maxRestarts) {
			this.maxRestarts = maxRestarts;
		}

		public Duration getRestartWindow() {
			return this.restartWindow;
		}

		public void setRestartWindow(Duration restartWindow) {
			this.restartWindow = restartWindow;
		}

		public OutputMode getOutput() {
			return this.output;
		}

		public void setOutput(OutputMode output) {
			this.output = output;
		}

		public DataSize getMaxLineLength() {
			return this.maxLineLength;
		}

		public void setMaxLineLength(DataSize maxLineLength) {
			this.maxLineLength = maxLineLength;
		}

		public Duration getStopTimeout() {
			return this.stopTimeout;
		}

		public void setStopTimeout(Duration stopTimeout) {
			this.stopTimeout = stopTimeout;
		}

		public boolean isDieWithParent() {
			return this.dieWithParent;
		}

		public void setDieWithParent(boolean dieWithParent) {
			this.dieWithParent = dieWithParent;
		}

	}

}
