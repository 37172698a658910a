package dev.ipcboot.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

import dev.ipcboot.dbus.internal.PrivateBusDaemon;

/**
 * The resources {@link IpcTest} gives one test class: a socket directory, a unique id for
 * keys, and optionally a private bus. Closing deletes the directory and stops the bus.
 */
public final class IpcTestResources implements AutoCloseable {

	/** Property holding the socket directory. */
	public static final String DIR = "ipc.test.dir";

	/** Property holding the unique id for keys and names. */
	public static final String ID = "ipc.test.id";

	/** Property holding the private bus's address (with {@code @IpcTest(bus = true)}). */
	public static final String BUS_ADDRESS = "ipc.test.bus-address";

	private static final AtomicInteger COUNT = new AtomicInteger();

	private final Path directory;

	private final String id;

	private final @Nullable PrivateBusDaemon bus;

	private IpcTestResources(Path directory, String id, @Nullable PrivateBusDaemon bus) {
		this.directory = directory;
		this.id = id;
		this.bus = bus;
	}

	/**
	 * Create the resources of one test class.
	 * @param bus whether to start a private bus
	 * @return the resources
	 * @throws UncheckedIOException if the directory cannot be created
	 * @throws dev.ipcboot.IpcConfigurationException if {@code bus} and
	 * {@code dbus-daemon} is not installed (the message names it)
	 */
	public static IpcTestResources create(boolean bus) {
		String id = "ipct-" + ProcessHandle.current().pid() + "-" + COUNT.incrementAndGet();
		Path directory;
		try {
			directory = Files.createTempDirectory(id + "-",
					PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot create the socket directory of an @IpcTest class", ex);
		}
		try {
			return new IpcTestResources(directory, id, bus ? PrivateBusDaemon.start(directory) : null);
		}
		catch (RuntimeException ex) {
			delete(directory);
			throw ex;
		}
	}

	/**
	 * The directory for socket files, owner-only, deleted on close.
	 * @return the directory ({@code ipc.test.dir})
	 */
	public Path directory() {
		return this.directory;
	}

	/**
	 * A socket path in the directory.
	 * @param name the socket's name
	 * @return {@code <dir>/<name>.sock}
	 */
	public Path socket(String name) {
		return this.directory.resolve(name + ".sock");
	}

	/**
	 * The unique id: no other test class or run uses it at the same time.
	 * @return the id ({@code ipc.test.id}), for example {@code ipct-4242-1}
	 */
	public String id() {
		return this.id;
	}

	/**
	 * A unique shared-memory or semaphore key.
	 * @param name what the key is for
	 * @return {@code <id>-<name>}
	 */
	public String key(String name) {
		return this.id + "-" + name;
	}

	/**
	 * The private bus's address.
	 * @return the address ({@code ipc.test.bus-address})
	 * @throws IllegalStateException if the class did not ask for a bus
	 */
	public String busAddress() {
		if (this.bus == null) {
			throw new IllegalStateException("No private bus: annotate the test class with @IpcTest(bus = true)");
		}
		return this.bus.address();
	}

	/**
	 * The properties, as {@link IpcTest} sets them.
	 * @return property name to value
	 */
	public Map<String, String> properties() {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put(DIR, this.directory.toString());
		properties.put(ID, this.id);
		if (this.bus != null) {
			properties.put(BUS_ADDRESS, this.bus.address());
		}
		return properties;
	}

	/**
	 * Stop the bus and delete the directory with whatever is left in it.
	 */
	@Override
	public void close() {
		try {
			if (this.bus != null) {
				this.bus.close();
			}
		}
		finally {
			delete(this.directory);
		}
	}

	private static void delete(Path directory) {
		try {
			Files.walkFileTree(directory, new SimpleFileVisitor<>() {

				@Override
				public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
					Files.deleteIfExists(file);
					return FileVisitResult.CONTINUE;
				}

				@Override
				public FileVisitResult postVisitDirectory(Path dir, @Nullable IOException ex) throws IOException {
					Files.deleteIfExists(dir);
					return FileVisitResult.CONTINUE;
				}

			});
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot delete the @IpcTest directory " + directory, ex);
		}
	}

}
