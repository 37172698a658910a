package dev.ipcboot.socket.udp.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The datagrams the kernel dropped for one UDP socket because its receive buffer was full
 * (the {@code drops} column of {@code /proc/net/udp} and {@code /proc/net/udp6}, the
 * socket's row found by its inode). They never reach the receive loop, so nothing else
 * can count them. The inode is found once, when the server starts: the rows with the
 * socket's port and address, and, when more than one socket has them (a multicast group's
 * port is shared), the one that is a descriptor of this process ({@code /proc/self/fd}).
 * Each read then reads one table and parses the one row. Where {@code /proc} is absent or
 * the row cannot be found, {@link #read()} is {@code -1} and nothing is counted.
 */
final class KernelDrops {

	private static final Log logger = LogFactory.getLog(KernelDrops.class);

	private static final Path[] TABLES = { Path.of("/proc/net/udp6"), Path.of("/proc/net/udp") };

	/** Column of the inode and of the drop count in the tables. */
	private static final int INODE = 9;

	private static final int DROPS = 12;

	private final @Nullable Path table;

	private final String inode;

	private KernelDrops(@Nullable Path table, String inode) {
		this.table = table;
		this.inode = inode;
	}

	/** Counts nothing: where there is no {@code /proc} or the socket was not found. */
	static final KernelDrops UNKNOWN = new KernelDrops(null, "");

	/**
	 * Find the socket's row.
	 * @param socket a bound socket
	 * @return its drops, or {@link #UNKNOWN}
	 */
	static KernelDrops of(DatagramSocket socket) {
		try {
			List<Row> candidates = new ArrayList<>();
			String port = String.format(Locale.ROOT, "%04X", socket.getLocalPort());
			for (Path table : TABLES) {
				if (!Files.isReadable(table)) {
					continue;
				}
				try (BufferedReader reader = Files.newBufferedReader(table, StandardCharsets.US_ASCII)) {
					reader.readLine();
					String line;
					while ((line = reader.readLine()) != null) {
						String[] fields = line.trim().split("\\s+");
						if (fields.length > DROPS && fields[1].endsWith(":" + port)) {
							candidates.add(new Row(table, fields[1], fields[INODE]));
						}
					}
				}
			}
			InetAddress local = socket.getLocalAddress();
			candidates.removeIf((row) -> local != null && !row.hasAddress(local));
			if (candidates.size() > 1) {
				Set<String> ours = ownSocketInodes();
				candidates.removeIf((row) -> !ours.contains(row.inode()));
			}
			if (candidates.size() == 1) {
				return new KernelDrops(candidates.get(0).table(), candidates.get(0).inode());
			}
			logger.debug("Kernel drops of the UDP socket on port " + socket.getLocalPort() + " cannot be read: "
					+ candidates.size() + " rows in /proc/net/udp* match it");
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Kernel drops of the UDP socket on port " + socket.getLocalPort() + " cannot be read", ex);
		}
		return UNKNOWN;
	}

	/**
	 * The datagrams the kernel has dropped for the socket so far.
	 * @return the count, or {@code -1} when it cannot be read (no {@code /proc}, the
	 * socket closed)
	 */
	long read() {
		Path current = this.table;
		if (current == null) {
			return -1;
		}
		try (BufferedReader reader = Files.newBufferedReader(current, StandardCharsets.US_ASCII)) {
			reader.readLine();
			String line;
			while ((line = reader.readLine()) != null) {
				String[] fields = line.trim().split("\\s+");
				if (fields.length > DROPS && fields[INODE].equals(this.inode)) {
					return Long.parseLong(fields[DROPS]);
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Could not read the kernel drops of socket inode " + this.inode, ex);
		}
		return -1;
	}

	private static Set<String> ownSocketInodes() throws IOException {
		Set<String> inodes = new HashSet<>();
		try (DirectoryStream<Path> descriptors = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
			for (Path descriptor : descriptors) {
				try {
					String target = Files.readSymbolicLink(descriptor).toString();
					if (target.startsWith("socket:[") && target.endsWith("]")) {
						inodes.add(target.substring("socket:[".length(), target.length() - 1));
					}
				}
				catch (IOException ex) {
					// closed since the listing (the listing's own descriptor among them)
				}
			}
		}
		return inodes;
	}

	/** A row with the socket's port. */
	private record Row(Path table, String local, String inode) {

		/**
		 * Whether the row's local address is the socket's: the tables print each 32-bit
		 * word of the address in the host's byte order; a dual-stack socket bound to an
		 * IPv4 address shows it as {@code ::ffff:a.b.c.d}.
		 */
		boolean hasAddress(InetAddress address) {
			String hex = this.local.substring(0, this.local.indexOf(':'));
			byte[] bytes = new byte[hex.length() / 2];
			for (int word = 0; word < hex.length() / 8; word++) {
				int value = (int) Long.parseLong(hex.substring(word * 8, word * 8 + 8), 16);
				if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
					value = Integer.reverseBytes(value);
				}
				bytes[word * 4] = (byte) (value >>> 24);
				bytes[word * 4 + 1] = (byte) (value >>> 16);
				bytes[word * 4 + 2] = (byte) (value >>> 8);
				bytes[word * 4 + 3] = (byte) value;
			}
			try {
				InetAddress row = InetAddress.getByAddress(bytes);
				if (address.isAnyLocalAddress()) {
					return row.isAnyLocalAddress();
				}
				// InetAddress.getByAddress turns ::ffff:a.b.c.d into an Inet4Address
				return address.equals(row);
			}
			catch (UnknownHostException ex) {
				return false;
			}
		}

	}

}
