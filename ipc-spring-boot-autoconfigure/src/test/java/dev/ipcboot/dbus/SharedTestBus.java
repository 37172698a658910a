package dev.ipcboot.dbus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

import dev.ipcboot.dbus.internal.PrivateBusDaemon;

/**
 * A bus daemon for tests that need what the starter's private bus does not offer: every
 * user may connect (for a caller with another uid) and services are activated from a
 * directory of {@code .service} files. Its socket lies in a directory everyone may enter.
 */
final class SharedTestBus implements AutoCloseable {

	private final PrivateBusDaemon daemon;

	private final Path directory;

	private SharedTestBus(PrivateBusDaemon daemon, Path directory) {
		this.daemon = daemon;
		this.directory = directory;
	}

	static SharedTestBus start() throws IOException {
		Path directory = Files.createTempDirectory("ipc-dbus-shared-");
		Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
		Path services = Files.createDirectory(directory.resolve("services"));
		PrivateBusDaemon daemon = PrivateBusDaemon.start(directory, """
				  <servicedir>%s</servicedir>
				  <policy context="default">
				    <allow user="*"/>
				  </policy>
				""".formatted(services));
		return new SharedTestBus(daemon, directory);
	}

	String address() {
		return this.daemon.address();
	}

	/**
	 * Where {@code .service} files go; the daemon reads them when a name is asked for.
	 */
	Path serviceDirectory() {
		return this.directory.resolve("services");
	}

	@Override
	public void close() throws IOException {
		this.daemon.close();
		try (Stream<Path> files = Files.walk(this.directory)) {
			for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(file);
			}
		}
	}

}
