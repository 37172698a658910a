package dev.ipcboot.sample;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The order desk's private directory ({@code order-desk.dir}): its state file and its
 * copy of the invoice worker live here. It is created with mode 0700; an existing one is
 * used only if it is a real directory (not a symbolic link) owned by this user with no
 * access for group or others, and the path to it runs only through links and directories
 * of root or this user (a directory others may write to must be sticky, as {@code /tmp}
 * is); otherwise start-up stops with what is wrong and the fix.
 *
 * <p>
 * Files are written to a new temporary file in the directory ({@code O_CREAT|O_EXCL},
 * mode 0600, so nothing that already exists is opened) and renamed over the target:
 * {@code rename(2)} replaces whatever is at the target, a symbolic link included, and
 * never writes through it, and a reader sees the old file or the new one, never half of
 * one. Files are read without following a symbolic link.
 */
@Component
class StateDirectory {

	private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");

	private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY_FILE = PosixFilePermissions
		.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

	private final Path directory;

	StateDirectory(@Value("${order-desk.dir}") Path directory) throws IOException {
		this.directory = prepare(directory.toAbsolutePath().normalize());
	}

	/** The directory, absolute. */
	Path path() {
		return this.directory;
	}

	/**
	 * Replace the file {@code name} in the directory with {@code content}, atomically and
	 * without following a symbolic link at its place.
	 * @param name a file name, no directories
	 * @param content the new content
	 * @param mode the file's permissions, such as {@code rw-------}
	 * @return the file written
	 * @throws IOException if it cannot be written; the previous file is then unchanged
	 */
	Path write(String name, byte[] content, String mode) throws IOException {
		Path target = resolve(name);
		Path partial = Files.createTempFile(this.directory, "." + name + ".", ".partial", OWNER_ONLY_FILE);
		try {
			try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
				ByteBuffer buffer = ByteBuffer.wrap(content);
				while (buffer.hasRemaining()) {
					channel.write(buffer);
				}
				channel.force(true);
			}
			Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString(mode));
			Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
			return target;
		}
		finally {
			Files.deleteIfExists(partial);
		}
	}

	/**
	 * The content of the file {@code name}, if it is a regular file of this user.
	 * @param name a file name, no directories
	 * @return its bytes, or empty if there is no such file
	 * @throws IOException if it cannot be read, or is a symbolic link or not ours
	 */
	Optional<byte[]> read(String name) throws IOException {
		Path file = resolve(name);
		try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
			int uid = (Integer) Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS);
			if (uid != ownUid() || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
				throw new IOException(file + " is not a regular file of this user (owner uid " + uid + ")");
			}
			return Optional.of(in.readAllBytes());
		}
		catch (NoSuchFileException ex) {
			return Optional.empty();
		}
		catch (IOException ex) {
			if (Files.isSymbolicLink(file)) {
				throw new IOException(file + " is a symbolic link (to " + Files.readSymbolicLink(file)
						+ "); it is not followed, and the next save replaces it", ex);
			}
			throw ex;
		}
	}

	private Path resolve(String name) {
		Path file = this.directory.resolve(name);
		if (!file.getParent().equals(this.directory)) {
			throw new IllegalArgumentException("'" + name + "' is not a file name");
		}
		return file;
	}

	private static Path prepare(Path directory) throws IOException {
		Path parent = directory.getParent();
		if (parent != null) {
			checkAncestors(directory, parent);
			Files.createDirectories(parent);
		}
		try {
			Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
			// the umask may have narrowed it further; set exactly 0700
			Files.setPosixFilePermissions(directory, OWNER_ONLY_DIRECTORY);
			return directory;
		}
		catch (FileAlreadyExistsException ex) {
			check(directory);
			return directory;
		}
	}

	private static void check(Path directory) throws IOException {
		String fix = "remove it, or set order-desk.dir to a directory of your own";
		if (Files.isSymbolicLink(directory)) {
			throw new UnsafeStateDirectoryException(directory,
					"is a symbolic link (to " + Files.readSymbolicLink(directory) + "), which is not followed", fix);
		}
		if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
			throw new UnsafeStateDirectoryException(directory, "is not a directory", fix);
		}
		int uid = (Integer) Files.getAttribute(directory, "unix:uid", LinkOption.NOFOLLOW_LINKS);
		if (uid != ownUid()) {
			throw new UnsafeStateDirectoryException(directory,
					"belongs to uid " + uid + ", not to this user (uid " + ownUid() + ")", fix);
		}
		Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(directory, LinkOption.NOFOLLOW_LINKS);
		if (!OWNER_ONLY_DIRECTORY.containsAll(permissions)) {
			throw new UnsafeStateDirectoryException(directory,
					"has mode " + PosixFilePermissions.toString(permissions) + ", open to other users",
					"run chmod 700 " + directory + ", or set order-desk.dir to another directory");
		}
	}

	/**
	 * Refuse a path that another user could redirect: every symbolic link on the way, and
	 * every directory it leads through, must belong to root or to this user, and a
	 * directory others may write to must be sticky (as {@code /tmp} is), so that nobody
	 * else can rename or replace what is below it.
	 */
	private static void checkAncestors(Path directory, Path parent) throws IOException {
		int own = ownUid();
		Path existing = parent;
		while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
			existing = existing.getParent();
		}
		if (existing == null) {
			return;
		}
		for (Path step = existing; step != null; step = step.getParent()) {
			if (Files.isSymbolicLink(step)) {
				int owner = (Integer) Files.getAttribute(step, "unix:uid", LinkOption.NOFOLLOW_LINKS);
				if (owner != 0 && owner != own) {
					throw new UnsafeStateDirectoryException(directory,
							"is reached through " + step + ", a symbolic link of uid " + owner,
							"set order-desk.dir to a path that only root and this user control");
				}
			}
		}
		for (Path step = existing.toRealPath(); step != null; step = step.getParent()) {
			int owner = (Integer) Files.getAttribute(step, "unix:uid");
			int mode = (Integer) Files.getAttribute(step, "unix:mode");
			boolean othersMayWrite = (mode & 0022) != 0;
			boolean sticky = (mode & 01000) != 0;
			if ((owner != 0 && owner != own) || (othersMayWrite && !sticky)) {
				throw new UnsafeStateDirectoryException(directory,
						"is below " + step + " (uid " + owner + ", mode " + Integer.toOctalString(mode & 07777)
								+ "), where another user could replace it",
						"set order-desk.dir to a path that only root and this user control");
			}
		}
	}

	private static int ownUid() throws IOException {
		// /proc/self belongs to the process's effective uid
		return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
	}

}
