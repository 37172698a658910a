package dev.ipcboot.dbus.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Makes the private {@code dbus-daemon} die with the application, even by SIGKILL: a
 * {@code /bin/sh} script reads a pipe whose write end only the application holds (the JDK
 * gives children no descriptor beyond their three). When the application dies the kernel
 * closes it; the script reads end-of-file, sends SIGKILL to the daemon if the daemon's
 * pid still has the start time it had when the watcher was started (a pid is recycled,
 * the pair is not) and removes the daemon's private directory. An orderly close writes
 * {@code q} and the script exits without doing anything.
 */
final class BusDaemonWatcher implements AutoCloseable {

	static final String NAME = "ipc-dbus-watcher";

	// kill, read and [ are builtins; only the removal forks
	private static final String SCRIPT = """
			trap '' HUP INT
			read -r l
			[ "$l" = q ] && exit 0
			if { read -r s < /proc/$1/stat; } 2>/dev/null; then
			  set -- "$1" "$2" "$3" ${s##*") "}
			  [ "${23}" = "$2" ] && kill -9 "$1"
			fi
			[ -n "$3" ] && exec rm -rf -- "$3"
			""";

	private static final Log logger = LogFactory.getLog(BusDaemonWatcher.class);

	private final @Nullable Process process;

	private BusDaemonWatcher(@Nullable Process process) {
		this.process = process;
	}

	/**
	 * Start a watcher for a daemon.
	 * @param daemon the daemon, not yet reaped
	 * @param directory its private directory to remove after a crash, or {@code null}
	 * @return the watcher; one that does nothing (after a WARN) where there is no shell
	 */
	static BusDaemonWatcher start(Process daemon, @Nullable Path directory) {
		long start = startTicks(daemon.pid());
		if (start < 0 || !Files.isExecutable(Path.of("/bin/sh"))) {
			logger.warn("The private D-Bus daemon (pid " + daemon.pid() + ") will outlive this application if it is"
					+ " killed: "
					+ ((start < 0) ? "/proc/" + daemon.pid() + "/stat cannot be read" : "there is no /bin/sh"));
			return new BusDaemonWatcher(null);
		}
		try {
			Process watcher = new ProcessBuilder("/bin/sh", "-c", SCRIPT, NAME, Long.toString(daemon.pid()),
					Long.toString(start), (directory != null) ? directory.toString() : "")
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.redirectError(ProcessBuilder.Redirect.DISCARD)
				.start();
			return new BusDaemonWatcher(watcher);
		}
		catch (IOException ex) {
			logger.warn("The private D-Bus daemon (pid " + daemon.pid() + ") will outlive this application if it is"
					+ " killed: its watcher did not start (" + ex.getMessage() + ")");
			return new BusDaemonWatcher(null);
		}
	}

	// field 22 of /proc/<pid>/stat, clock ticks after boot
	static long startTicks(long pid) {
		try {
			String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
			return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ", 21)[19]);
		}
		catch (IOException | RuntimeException ex) {
			return -1;
		}
	}

	/** The watcher's pid, {@code -1} if none runs. */
	long pid() {
		return (this.process != null) ? this.process.pid() : -1;
	}

	/** Let the watcher exit without doing anything, and reap it. */
	@Override
	public void close() {
		Process watcher = this.process;
		if (watcher == null) {
			return;
		}
		try (OutputStream input = watcher.getOutputStream()) {
			input.write("q\n".getBytes(StandardCharsets.US_ASCII));
		}
		catch (IOException ex) {
			// it has ended already
		}
		try {
			if (!watcher.waitFor(5, TimeUnit.SECONDS)) {
				watcher.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
