package dev.ipcboot.socket.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;

import org.jspecify.annotations.Nullable;

import dev.ipcboot.IpcConfigurationException;
import dev.ipcboot.socket.SocketServerSettings;

/**
 * The listening sockets systemd passed to this process (socket activation, see
 * {@code sd_listen_fds(3)}): {@code LISTEN_PID} must be this process's id,
 * {@code LISTEN_FDS} is how many descriptors follow from 3 on, and {@code LISTEN_FDNAMES}
 * their colon-separated names. A descriptor is checked before it is adopted: it must be a
 * listening stream socket of the family the server needs (a Unix-domain socket for a
 * local server, TCP for a TCP server), found through {@code /proc/self/fd} and
 * {@code /proc/net}.
 */
final class SystemdSockets {

	/** sd_listen_fds' SD_LISTEN_FDS_START. */
	static final int FIRST_FD = 3;

	private static final String TCP_LISTEN = "0A";

	private static final int UNIX_ACCEPTCON = 0x10000;

	private static final int UNIX_STREAM = 1;

	/**
	 * Descriptors a running server serves, and its name: each is adopted once at a time.
	 */
	private static final Map<Integer, String> ADOPTED = new ConcurrentHashMap<>();

	private final List<String> names;

	private SystemdSockets(List<String> names) {
		this.names = names;
	}

	/**
	 * The sockets passed to this process.
	 * @return the passed sockets; none when {@code LISTEN_PID} is not this process
	 */
	static SystemdSockets passed() {
		return of(System.getenv(), ProcessHandle.current().pid());
	}

	static SystemdSockets of(Map<String, String> environment, long pid) {
		String listenPid = environment.get("LISTEN_PID");
		String listenFds = environment.get("LISTEN_FDS");
		if (listenPid == null || listenFds == null || !listenPid.trim().equals(Long.toString(pid))) {
			return new SystemdSockets(List.of());
		}
		int count;
		try {
			count = Integer.parseInt(listenFds.trim());
		}
		catch (NumberFormatException ex) {
			return new SystemdSockets(List.of());
		}
		String fdNames = environment.getOrDefault("LISTEN_FDNAMES", "");
		String[] given = fdNames.isEmpty() ? new String[0] : fdNames.split(":", -1);
		String[] names = new String[Math.max(0, count)];
		for (int i = 0; i < names.length; i++) {
			// systemd names an unnamed descriptor "unknown"
			names[i] = (i < given.length && !given[i].isEmpty()) ? given[i] : "unknown";
		}
		return new SystemdSockets(Arrays.asList(names));
	}

	/** How many descriptors systemd passed. */
	int count() {
		return this.names.size();
	}

	List<String> names() {
		return this.names;
	}

	/**
	 * The descriptor passed under a name.
	 * @param name the name in {@code LISTEN_FDNAMES}
	 * @return its number, if passed
	 */
	Optional<Integer> find(String name) {
		int index = this.names.indexOf(name);
		return (index < 0) ? Optional.empty() : Optional.of(FIRST_FD + index);
	}

	/** A passed descriptor checked for adoption. */
	record Checked(int fd, String address) {
	}

	/**
	 * Check that a descriptor is a listening stream socket of the right family.
	 * @param settings the server, for the property in messages
	 * @param fd the descriptor
	 * @param local whether the server is a local (Unix-domain) one
	 * @return the descriptor and the address it listens on
	 * @throws IpcConfigurationException naming {@code systemd-socket} on a mismatch
	 */
	static Checked check(SocketServerSettings settings, int fd, boolean local) {
		String property = settings.property() + ".systemd-socket";
		String name = settings.activation().name();
		String wanted = local ? "a listening Unix-domain stream socket" : "a listening TCP socket";
		String link;
		try {
			link = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
		}
		catch (IOException ex) {
			throw mismatch(property, name, fd, "is not open (" + ex.getMessage() + ")", wanted);
		}
		if (!link.startsWith("socket:[")) {
			throw mismatch(property, name, fd, "is not a socket but " + link, wanted);
		}
		String inode = link.substring("socket:[".length(), link.length() - 1);
		String[] unix = row(Path.of("/proc/net/unix"), inode, 6);
		if (unix != null) {
			if (!local) {
				throw mismatch(property, name, fd, "is a Unix-domain socket", wanted);
			}
			boolean listening = (Integer.parseInt(unix[3], 16) & UNIX_ACCEPTCON) != 0;
			if (Integer.parseInt(unix[4], 16) != UNIX_STREAM || !listening) {
				throw mismatch(property, name, fd, "is a Unix-domain socket that is not a listening stream socket",
						wanted);
			}
			String path = (unix.length > 7) ? unix[7] : "(unnamed)";
			return new Checked(fd, path);
		}
		for (String table : new String[] { "tcp", "tcp6" }) {
			String[] tcp = row(Path.of("/proc/net/" + table), inode, 9);
			if (tcp != null) {
				if (local) {
					throw mismatch(property, name, fd, "is a TCP socket", wanted);
				}
				if (!TCP_LISTEN.equals(tcp[3])) {
					throw mismatch(property, name, fd, "is a TCP socket that is not listening", wanted);
				}
				return new Checked(fd, table);
			}
		}
		for (String table : new String[] { "udp", "udp6" }) {
			if (row(Path.of("/proc/net/" + table), inode, 9) != null) {
				throw mismatch(property, name, fd, "is a UDP socket", wanted);
			}
		}
		throw mismatch(property, name, fd, "is a socket of another family", wanted);
	}

	/**
	 * Serve a checked descriptor: wrap it in an epoll server channel and register it (it
	 * is already bound and listening, so it is not bound again). Its socket options on
	 * the listening socket apply except the backlog, which systemd set.
	 * @param settings the server
	 * @param passed the checked descriptor
	 * @param local whether it is a Unix-domain socket
	 * @param bootstrap the server's bootstrap, with its options and handlers
	 * @return the adopted socket
	 */
	static BoundServerSocket adopt(SocketServerSettings settings, Checked passed, boolean local,
			ServerBootstrap bootstrap) {
		String previous = ADOPTED.putIfAbsent(passed.fd(), settings.name());
		if (previous != null) {
			throw new IpcConfigurationException(settings.property() + ".systemd-socket",
					"the socket systemd passed as '" + settings.activation().name() + "' is already served by server '"
							+ previous + "'",
					"Give each server its own socket (FileDescriptorName=) and systemd-socket.");
		}
		ServerChannel channel = local ? new EpollServerDomainSocketChannel(passed.fd(), true)
				: new EpollServerSocketChannel(passed.fd());
		ChannelFuture registered = bootstrap.channelFactory((ChannelFactory<ServerChannel>) () -> channel)
			.register()
			.awaitUninterruptibly();
		if (!registered.isSuccess()) {
			ADOPTED.remove(passed.fd());
			throw new IllegalStateException("Could not serve the socket systemd passed as '"
					+ settings.activation().name() + "' (" + settings.property() + "): " + registered.cause(),
					registered.cause());
		}
		String address = passed.address();
		int port = -1;
		if (!local && channel.localAddress() instanceof InetSocketAddress inet) {
			port = inet.getPort();
			address = inet.getAddress().getHostAddress() + ":" + port;
		}
		return new BoundServerSocket(channel, address + " (from systemd, fd " + passed.fd() + ")", port,
				() -> ADOPTED.remove(passed.fd()), true);
	}

	private static IpcConfigurationException mismatch(String property, String name, int fd, String problem,
			String wanted) {
		return new IpcConfigurationException(property,
				"the socket systemd passed as '" + name + "' (fd " + fd + ") " + problem + ", and this server needs "
						+ wanted,
				"Point systemd-socket at the right socket (FileDescriptorName= in the .socket unit), or make the"
						+ " unit's ListenStream= match the server's transport.");
	}

	private static String @Nullable [] row(Path table, String inode, int inodeColumn) {
		List<String> lines;
		try {
			lines = Files.readAllLines(table);
		}
		catch (IOException ex) {
			return null;
		}
		for (int i = 1; i < lines.size(); i++) {
			String[] columns = lines.get(i).trim().split("\\s+");
			if (columns.length > inodeColumn && columns[inodeColumn].equals(inode)) {
				return columns;
			}
		}
		return null;
	}

}
