package dev.ipcboot.process;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * What {@link ProcessManager#run} returns: how the process ended and what it wrote, as
 * Qt's {@code QProcess::execute} plus {@code readAllStandardOutput} give it.
 *
 * @param name the process name
 * @param pid the process id it had
 * @param exitCode the exit code, {@code -1} when a signal killed it
 * @param exitStatus normal exit or crash (killed by a signal, also by the timeout)
 * @param exitSignal the signal that killed it, {@code 0} if none
 * @param stdout what it wrote to standard output, at most the capture limit (empty when
 * stdout was redirected)
 * @param stderr what it wrote to standard error, likewise (empty when merged into stdout)
 * @param truncated whether either stream wrote more than the limit; the rest was read and
 * discarded, so the child never blocked on a full pipe
 * @param timedOut whether the timeout passed, so that the process and its descendants
 * were killed
 * @param duration from the start until it was reaped
 */
public record ProcessResult(String name, long pid, int exitCode, @Nullable ExitStatus exitStatus, int exitSignal,
		byte[] stdout, byte[] stderr, boolean truncated, boolean timedOut, Duration duration) {

	/**
	 * Whether the process exited by itself with code 0 in time.
	 * @return whether it succeeded
	 */
	public boolean succeeded() {
		return !this.timedOut && this.exitStatus == ExitStatus.NORMAL && this.exitCode == 0;
	}

	/**
	 * Standard output decoded as UTF-8.
	 * @return the text
	 */
	public String stdoutText() {
		return new String(this.stdout, StandardCharsets.UTF_8);
	}

	/**
	 * Standard error decoded as UTF-8.
	 * @return the text
	 */
	public String stderrText() {
		return new String(this.stderr, StandardCharsets.UTF_8);
	}

	@Override
	public String toString() {
		return "process '" + this.name + "' (pid " + this.pid + ") "
				+ (this.timedOut ? "timed out and was killed"
						: (this.exitSignal != 0) ? "killed by signal " + this.exitSignal
								: "exited with " + this.exitCode)
				+ " after " + this.duration.toMillis() + " ms, " + this.stdout.length + " bytes of stdout, "
				+ this.stderr.length + " of stderr" + (this.truncated ? " (truncated)" : "");
	}

}
