package dev.ipcboot.dbus.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.ipcboot.IpcConfigurationException;
import dev.ipcboot.internal.natives.Leftovers;

/**
 * A D-Bus daemon started as a child of this application ({@code ipc.dbus.bus=private}):
 * for demos, tests and sandboxes without a session bus. The daemon listens on a socket in
 * a directory only the current user can enter, with a generated configuration; closing
 * stops it and removes the files it left. A watcher ({@link BusDaemonWatcher}) kills it
 * and removes its directory if the application dies without closing it (SIGKILL, a
 * crash), and the directory is recorded with {@link Leftovers}, so that the next start
 * reclaims it should the watcher have been killed too.
 */
public final class PrivateBusDaemon implements AutoCloseable {

	private static final String CONFIG = """
			<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
			 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
			<busconfig>
			  <type>session</type>
			  <listen>unix:path=%s</listen>
			  <auth>EXTERNAL</auth>
			%s  <policy context="default">
			    <allow send_destination="*" eavesdrop="true"/>
			    <allow eavesdrop="true"/>
			    <allow own="*"/>
			  </policy>
			</busconfig>
			""";

	private final Process process;

	private final Path directory;

	private final boolean ownsDirectory;

	private final String address;

	private final BusDaemonWatcher watcher;

	private PrivateBusDaemon(Process process, Path directory, boolean ownsDirectory, String address) {
		this.process = process;
		this.directory = directory;
		this.ownsDirectory = ownsDirectory;
		this.address = address;
		this.watcher = BusDaemonWatcher.start(process, ownsDirectory ? directory : null);
	}

	/**
	 * Start a daemon in a new private temporary directory.
	 * @return the running daemon
	 * @throws IpcConfigurationException if {@code dbus-daemon} is not installed or does
	 * not start
	 */
	public static PrivateBusDaemon start() {
		Leftovers.reclaim();
		try {
			Path directory = Files.createTempDirectory("ipc-dbus-",
					PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
			Leftovers.created(Leftovers.Kind.DIRECTORY, directory.toString());
			try {
				return start(directory, true);
			}
			catch (RuntimeException ex) {
				deleteTree(directory);
				throw ex;
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not create a private directory for the D-Bus daemon", ex);
		}
	}

	/**
	 * Start a daemon whose socket is {@code directory/bus}. Starting again in the same
	 * directory after {@link #close()} or a crash gives the same address.
	 * @param directory an existing directory, which should be accessible to the owner
	 * only
	 * @return the running daemon
	 * @throws IpcConfigurationException if {@code dbus-daemon} is not installed or does
	 * not start
	 */
	public static PrivateBusDaemon start(Path directory) {
		Leftovers.reclaim();
		return start(directory, false);
	}

	private static PrivateBusDaemon start(Path directory, boolean ownsDirectory) {
		return start(directory, ownsDirectory, "");
	}

	/**
	 * Start a daemon with more configuration, for tests: elements such as
	 * {@code <servicedir>} or policy rules, inserted before the default policy.
	 */
	public static PrivateBusDaemon start(Path directory, String extraConfiguration) {
		return start(directory, false, extraConfiguration);
	}

	private static PrivateBusDaemon start(Path directory, boolean ownsDirectory, String extraConfiguration) {
		Path executable = findDaemon();
		Path socket = directory.resolve("bus");
		Path config = directory.resolve("bus.conf");
		Path log = directory.resolve("bus.log");
		try {
			Files.deleteIfExists(socket);
			Files.writeString(config, CONFIG.formatted(socket, extraConfiguration));
			Process process = new ProcessBuilder(executable.toString(), "--config-file=" + config, "--nofork",
					"--nopidfile", "--print-address")
				.redirectError(log.toFile())
				.redirectInput(ProcessBuilder.Redirect.PIPE)
				.start();
			process.getOutputStream().close();
			String printed = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))
				.readLine();
			if (printed == null || !printed.startsWith("unix:")) {
				process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
				throw new IpcConfigurationException("ipc.dbus.bus",
						"the private D-Bus daemon did not start: " + Files.readString(log).strip(),
						"Check that " + directory + " is writable, or set ipc.dbus.bus to session or an address.");
			}
			return new PrivateBusDaemon(process, directory, ownsDirectory, withoutGuid(printed.strip()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start " + executable + " in " + directory, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while starting the private D-Bus daemon", ex);
		}
	}

	/**
	 * Remove the {@code guid} from an address: a restarted daemon has a new one, and a
	 * client that insists on the old guid could never reconnect.
	 */
	public static String withoutGuid(String address) {
		return address.replaceAll(",guid=[0-9a-fA-F]*", "");
	}

	private static Path findDaemon() {
		String path = System.getenv().getOrDefault("PATH", "") + ":/usr/bin:/bin";
		for (String dir : path.split(":")) {
			if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "dbus-daemon"))) {
				return Path.of(dir, "dbus-daemon");
			}
		}
		throw new IpcConfigurationException("ipc.dbus.bus",
				"'private' needs the dbus-daemon executable, which is not installed",
				"Install it (apt-get install dbus-daemon), or set ipc.dbus.bus to session, system or an address.");
	}

	/**
	 * Start a new daemon at the same address after this one died.
	 * @return the new daemon
	 * @throws IllegalStateException if this daemon still runs
	 */
	public PrivateBusDaemon restart() {
		if (isAlive()) {
			throw new IllegalStateException(this + " still runs");
		}
		this.watcher.close();
		return start(this.directory, this.ownsDirectory);
	}

	/**
	 * The address clients connect to.
	 * @return the address, for example {@code unix:path=/tmp/ipc-dbus-123/bus}
	 */
	public String address() {
		return this.address;
	}

	/**
	 * Process id of the daemon.
	 * @return the pid
	 */
	public long pid() {
		return this.process.pid();
	}

	/**
	 * Whether the daemon still runs.
	 * @return {@code true} while it runs
	 */
	public boolean isAlive() {
		return this.process.isAlive();
	}

	/**
	 * Stop the daemon (SIGTERM, then SIGKILL after five seconds) and remove its files.
	 */
	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(5, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			this.process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
		this.watcher.close();
		deleteFiles();
	}

	private static void deleteTree(Path directory) {
		try (Stream<Path> files = Files.walk(directory)) {
			for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(file);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not remove the private D-Bus directory " + directory, ex);
		}
		Leftovers.removed(Leftovers.Kind.DIRECTORY, directory.toString());
	}

	private void deleteFiles() {
		try {
			if (this.ownsDirectory) {
				deleteTree(this.directory);
			}
			else {
				for (String name : new String[] { "bus", "bus.conf", "bus.log" }) {
					Files.deleteIfExists(this.directory.resolve(name));
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(
					"The private D-Bus daemon stopped, but its files in " + this.directory + " could not be removed",
					ex);
		}
	}

	@Override
	public String toString() {
		return "private D-Bus daemon (pid " + pid() + ") at " + this.address;
	}

}
