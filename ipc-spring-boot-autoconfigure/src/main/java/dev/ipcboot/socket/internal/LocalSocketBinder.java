package dev.ipcboot.socket.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

import io.netty.channel.Channel;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

import dev.ipcboot.IpcConfigurationException;
import dev.ipcboot.internal.natives.Leftovers;
import dev.ipcboot.socket.ServerBinding;
import dev.ipcboot.socket.SocketServerSettings;

/**
 * Binds a Unix-domain server socket without ever exposing it with looser permissions than
 * configured: the socket is bound inside a fresh {@code 0700} directory next to the
 * target, given its mode, then hard-linked into place. A stale file is replaced; a path
 * where a live server answers is refused, never taken over. Closing removes the link, the
 * private directory and the bound name. The engine's server channel does the binding.
 */
final class LocalSocketBinder {

	private static final int SOCKET_TYPE = 0140000;

	private static final int TYPE_MASK = 0170000;

	/** {@code sun_path} is 108 bytes including the terminating NUL. */
	private static final int MAX_PATH_BYTES = 107;

	private static final FileAttribute<Set<PosixFilePermission>> PRIVATE = PosixFilePermissions
		.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

	private static final SecureRandom RANDOM = new SecureRandom();

	private LocalSocketBinder() {
	}

	/** Binds the engine's server channel to an address. */
	@FunctionalInterface
	interface Binding {

		Channel bind(SocketAddress address) throws IOException;

	}

	static BoundServerSocket bind(SocketServerSettings settings, ServerBinding.Local local, SocketEngine engine,
			Binding binding) throws IOException {
		if (local.abstractNamespace()) {
			return bindAbstract(settings, local.address(), engine, binding);
		}
		return bindFile(settings, local, engine, binding);
	}

	private static BoundServerSocket bindAbstract(SocketServerSettings settings, String name, SocketEngine engine,
			Binding binding) {
		Channel server;
		try {
			server = binding.bind(engine.localAddress(name, true));
		}
		catch (IOException | UnsupportedOperationException ex) {
			throw new IpcConfigurationException(settings.property() + ".name",
					"abstract socket name '" + name + "' cannot be bound (" + ex.getMessage()
							+ "); it is most likely bound by another process",
					"Stop the other server or choose another name.");
		}
		return new BoundServerSocket(server, "@" + name, -1, () -> {
		});
	}

	/**
	 * The property the socket file came from: {@code ipc.servers.<name>.path} or
	 * {@code .name}.
	 */
	private static String addressProperty(SocketServerSettings settings) {
		String key = (settings.binding() instanceof ServerBinding.Local local) ? local.addressKey() : "path";
		return settings.property() + "." + key;
	}

	private static BoundServerSocket bindFile(SocketServerSettings settings, ServerBinding.Local local,
			SocketEngine engine, Binding binding) throws IOException {
		Path target = Path.of(local.address()).toAbsolutePath();
		Path parent = Objects.requireNonNull(target.getParent());
		if (!Files.isDirectory(parent)) {
			throw new IpcConfigurationException(addressProperty(settings),
					"directory " + parent + " of socket " + target + " does not exist",
					"Create the directory or choose a socket path in an existing one.");
		}
		refuseIfLive(settings, target);
		// a crashed instance's bind directories and socket files go first
		// (natives.Leftovers)
		Leftovers.reclaim();
		Path directory = createPrivateDirectory(settings, parent, target);
		Leftovers.created(Leftovers.Kind.DIRECTORY, directory.toString());
		Path temporary = directory.resolve("s");
		Channel server = null;
		try {
			server = binding.bind(engine.localAddress(temporary.toString(), false));
			Files.setPosixFilePermissions(temporary, local.permissions().posix());
			// a stale file (checked dead above) goes first; link() never replaces
			Files.deleteIfExists(target);
			Files.createLink(target, temporary);
		}
		catch (IOException | RuntimeException ex) {
			if (server != null) {
				server.close().syncUninterruptibly();
			}
			Files.deleteIfExists(temporary);
			Files.deleteIfExists(directory);
			Leftovers.removed(Leftovers.Kind.DIRECTORY, directory.toString());
			throw ex;
		}
		Object ours = fileKey(target);
		Leftovers.created(Leftovers.Kind.FILE, target.toString());
		return new BoundServerSocket(server, target.toString(), -1, () -> {
			removeIfOurs(target, ours);
			Files.deleteIfExists(temporary);
			Files.deleteIfExists(directory);
			Leftovers.removed(Leftovers.Kind.FILE, target.toString());
			Leftovers.removed(Leftovers.Kind.DIRECTORY, directory.toString());
		});
	}

	/**
	 * A {@code 0700} directory next to the target (so the link stays on one file system),
	 * with a short name: the socket path inside it must fit in {@code sun_path}.
	 */
	private static Path createPrivateDirectory(SocketServerSettings settings, Path parent, Path target)
			throws IOException {
		for (int attempt = 0;; attempt++) {
			String suffix = Integer.toString(RANDOM.nextInt(Integer.MAX_VALUE), 36);
			Path directory = parent.resolve("." + target.getFileName() + "." + suffix);
			int length = directory.resolve("s").toString().getBytes(StandardCharsets.UTF_8).length;
			if (length > MAX_PATH_BYTES) {
				int allowed = target.toString().getBytes(StandardCharsets.UTF_8).length - (length - MAX_PATH_BYTES);
				throw new IpcConfigurationException(addressProperty(settings),
						"socket path " + target + " is too long: binding it safely needs " + length
								+ " bytes and Unix sockets allow " + MAX_PATH_BYTES,
						"Use a socket path of at most " + allowed + " bytes, for example under /run/user/<uid>.");
			}
			try {
				return Files.createDirectory(directory, PRIVATE);
			}
			catch (FileAlreadyExistsException ex) {
				if (attempt >= 10) {
					throw ex;
				}
			}
		}
	}

	/**
	 * Refuse a path that is not a socket or where a server answers; a socket file that
	 * refuses connections was left by a dead process and will be replaced.
	 */
	private static void refuseIfLive(SocketServerSettings settings, Path target) throws IOException {
		int mode;
		try {
			mode = (Integer) Files.getAttribute(target, "unix:mode", LinkOption.NOFOLLOW_LINKS);
		}
		catch (NoSuchFileException ex) {
			return;
		}
		if ((mode & TYPE_MASK) != SOCKET_TYPE) {
			throw new IpcConfigurationException(addressProperty(settings), target + " exists and is not a socket",
					"Remove the file or choose another socket path.");
		}
		try (AFUNIXSocket probe = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(target))) {
			String owner = describeOwner(probe);
			throw new IpcConfigurationException(addressProperty(settings),
					"socket " + target + " is served by another process" + owner,
					"Stop that process or choose another socket path; a live server's socket is never taken over.");
		}
		catch (SocketException ex) {
			if (!isRefused(ex)) {
				throw new IpcConfigurationException(addressProperty(settings),
						"socket " + target + " exists and cannot be checked: " + ex.getMessage(),
						"Remove the file if no process serves it, or choose another socket path.");
			}
		}
	}

	private static boolean isRefused(SocketException ex) {
		String message = String.valueOf(ex.getMessage()).toLowerCase(Locale.ROOT);
		return ex instanceof ConnectException || message.contains("refused");
	}

	private static String describeOwner(AFUNIXSocket probe) {
		try {
			long pid = probe.getPeerCredentials().getPid();
			return (pid > 0) ? " (pid " + pid + ")" : "";
		}
		catch (IOException ex) {
			return "";
		}
	}

	private static Object fileKey(Path path) throws IOException {
		return Objects
			.requireNonNull(Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey());
	}

	/** Another server may have replaced the file since: delete only the inode we made. */
	private static void removeIfOurs(Path target, Object ours) throws IOException {
		try {
			if (ours.equals(fileKey(target))) {
				Files.delete(target);
			}
		}
		catch (NoSuchFileException ex) {
			// already gone: nothing to undo
		}
	}

}
