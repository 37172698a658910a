package dev.ipcboot.dbus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.ipcboot.testsupport.Tools;

import static org.awaitility.Awaitility.await;

/**
 * A bus daemon for tests that need what the starter's private bus does not offer: every
 * user may connect (for a caller with another uid) and services are activated from a
 * directory of {@code .service} files. Its socket lies in a directory everyone may enter.
 */
final class SharedTestBus implements AutoCloseable {

	private static final String CONFIG = """
			<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
			 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
			<busconfig>
			  <type>session</type>
			  <listen>unix:path=%s</listen>
			  <auth>EXTERNAL</auth>
			  <servicedir>%s</servicedir>
			  <policy context="default">
			    <allow user="*"/>
			    <allow send_destination="*" eavesdrop="true"/>
			    <allow eavesdrop="true"/>
			    <allow own="*"/>
			  </policy>
			</busconfig>
			""";

	private final Process process;

	private final Path directory;

	private SharedTestBus(Process process, Path directory) {
		this.process = process;
		this.directory = directory;
	}

	static SharedTestBus start() throws IOException {
		Path daemon = Tools.require("dbus-daemon", "dbus-daemon");
		Path directory = Files.createTempDirectory("ipc-dbus-shared-",
				PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
		Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
		Path services = Files.createDirectory(directory.resolve("services"));
		Path config = directory.resolve("bus.conf");
		Files.writeString(config, CONFIG.formatted(directory.resolve("bus"), services));
		Process process = new ProcessBuilder(daemon.toString(), "--config-file=" + config, "--nofork", "--nopidfile")
			.redirectErrorStream(true)
			.redirectOutput(directory.resolve("bus.log").toFile())
			.start();
		SharedTestBus bus = new SharedTestBus(process, directory);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> Files.exists(directory.resolve("bus")) || !process.isAlive());
		if (!process.isAlive()) {
			bus.close();
			throw new IllegalStateException(
					"dbus-daemon did not start: " + Files.readString(directory.resolve("bus.log")));
		}
		return bus;
	}

	String address() {
		return "unix:path=" + this.directory.resolve("bus");
	}

	/**
	 * Where {@code .service} files go; the daemon reads them when a name is asked for.
	 */
	Path serviceDirectory() {
		return this.directory.resolve("services");
	}

	long pid() {
		return this.process.pid();
	}

	@Override
	public void close() throws IOException {
		this.process.destroy();
		try {
			if (!this.process.waitFor(5, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		try (Stream<Path> files = Files.walk(this.directory)) {
			for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(file);
			}
		}
	}

}
