package dev.ipcboot.http.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Objects;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The socket file of a server, never looser than configured even for an instant: the
 * listener binds inside a fresh private ({@code 0700}) directory next to the path, the
 * file gets its mode there and is then renamed into place, which atomically replaces a
 * stale file left by a dead process. A path another process still accepts on is never
 * taken. On close only the file this server put there is removed. Private directories
 * that a killed process left next to the path (with a socket nobody accepts on) are
 * removed when the next server prepares its own.
 * <p>
 * The same rules as {@code dev.ipcboot.socket.internal.LocalSocketBinder}, written again
 * for JDK channels because Tomcat binds its own; the two are to be unified.
 */
final class SocketFile {

	private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rwx------");

	private final Path path;

	private final Set<PosixFilePermission> permissions;

	private @Nullable Path privateDirectory;

	private @Nullable Object fileKey;

	SocketFile(Path path, Set<PosixFilePermission> permissions) {
		this.path = path.toAbsolutePath();
		this.permissions = Set.copyOf(permissions);
	}

	Path path() {
		return this.path;
	}

	/**
	 * Fail unless the path is free or holds a stale socket file.
	 * @throws IllegalStateException naming the path and the fix when it is taken
	 */
	void checkAvailable() {
		if (!Files.exists(this.path, LinkOption.NOFOLLOW_LINKS)) {
			return;
		}
		try {
			if (!Files.readAttributes(this.path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther()) {
				throw new IllegalStateException(
						"socket path " + this.path + " exists and is not a socket; remove it or choose another path");
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot inspect socket path " + this.path, ex);
		}
		try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
			probe.connect(UnixDomainSocketAddress.of(this.path));
		}
		catch (ConnectException ex) {
			// nobody accepts: a file left by a dead process, replaced when this one binds
			return;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot probe socket path " + this.path
					+ " for a live listener; check the permissions of the file and its directory", ex);
		}
		throw new IllegalStateException(
				"socket path " + this.path + " is served by another live process; stop it or choose another path");
	}

	/**
	 * Check the path and create the private directory the listener binds in.
	 * @return the path to bind, inside the private directory
	 * @throws IOException if the directory cannot be created
	 */
	Path prepare() throws IOException {
		checkAvailable();
		Path parent = Objects.requireNonNull(this.path.getParent(), "socket path has a parent");
		Path directory = Files.createTempDirectory(parent, "." + this.path.getFileName() + ".",
				PosixFilePermissions.asFileAttribute(PRIVATE));
		this.privateDirectory = directory;
		reclaimDeadBindDirectories(parent, directory);
		return directory.resolve("s");
	}

	/**
	 * Remove the private directories a killed process left next to the path: ours by name
	 * and owner, mode {@code 0700}, holding a bound socket nobody accepts on. A directory
	 * without a socket may be another process's that has not bound yet: it is left alone.
	 */
	private void reclaimDeadBindDirectories(Path parent, Path own) {
		String prefix = "." + this.path.getFileName() + ".";
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent, (entry) -> {
			String name = entry.getFileName().toString();
			return name.startsWith(prefix) && name.substring(prefix.length()).chars().allMatch(Character::isDigit);
		})) {
			UserPrincipal self = Files.getOwner(own, LinkOption.NOFOLLOW_LINKS);
			for (Path directory : entries) {
				if (!directory.equals(own) && isDeadBindDirectory(directory, self)) {
					try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
						for (Path file : files) {
							Files.deleteIfExists(file);
						}
					}
					Files.deleteIfExists(directory);
				}
			}
		}
		catch (IOException ex) {
			// a leftover that cannot be removed does not stop this server from binding
		}
	}

	private static boolean isDeadBindDirectory(Path directory, UserPrincipal self) throws IOException {
		if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)
				|| !self.equals(Files.getOwner(directory, LinkOption.NOFOLLOW_LINKS))
				|| !PRIVATE.equals(Files.getPosixFilePermissions(directory, LinkOption.NOFOLLOW_LINKS))) {
			return false;
		}
		Path socket = directory.resolve("s");
		if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
			return false;
		}
		try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
			probe.connect(UnixDomainSocketAddress.of(socket));
			return false;
		}
		catch (ConnectException ex) {
			return true;
		}
	}

	/**
	 * Give the bound file its mode, then link it into place atomically.
	 * @param bound the path the listener bound, from {@link #prepare()}
	 * @throws IOException if the file cannot be moved into place
	 */
	void publish(Path bound) throws IOException {
		Files.setPosixFilePermissions(bound, this.permissions);
		Path link = bound.resolveSibling("l");
		Files.createLink(link, bound);
		Files.move(link, this.path, StandardCopyOption.ATOMIC_MOVE);
		this.fileKey = Files.readAttributes(this.path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
	}

	/**
	 * Remove the published file if it is still this server's, and the private directory.
	 * @throws IOException if a file of ours cannot be removed
	 */
	void remove() throws IOException {
		try {
			if (this.fileKey != null && this.fileKey.equals(
					Files.readAttributes(this.path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey())) {
				Files.delete(this.path);
			}
		}
		catch (NoSuchFileException ex) {
			// removed by someone else already: nothing of ours is left there
		}
		finally {
			this.fileKey = null;
			deletePrivateDirectory();
		}
	}

	private void deletePrivateDirectory() throws IOException {
		Path directory = this.privateDirectory;
		this.privateDirectory = null;
		if (directory == null || !Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
			return;
		}
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
			for (Path entry : entries) {
				Files.deleteIfExists(entry);
			}
		}
		Files.delete(directory);
	}

	/**
	 * Whether the file this server published is still in place.
	 * @return {@code true} while the published file is at the path
	 */
	boolean isPublished() {
		Object key = this.fileKey;
		if (key == null) {
			return false;
		}
		try {
			return key.equals(
					Files.readAttributes(this.path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey());
		}
		catch (IOException ex) {
			return false;
		}
	}

}
