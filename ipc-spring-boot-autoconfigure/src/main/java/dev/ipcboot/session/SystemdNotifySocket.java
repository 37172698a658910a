package dev.ipcboot.session;

import java.io.File;
import java.io.IOException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * The datagram socket to systemd's {@code NOTIFY_SOCKET}, a Unix datagram socket either
 * in the file system ({@code /run/systemd/notify}) or in the abstract namespace (written
 * with a leading {@code @}). The JDK has no Unix datagram sockets; junixsocket has.
 */
final class SystemdNotifySocket implements AutoCloseable {

	private final String notifySocket;

	private final AFUNIXSocketAddress address;

	private final AFUNIXDatagramChannel channel;

	SystemdNotifySocket(String notifySocket) throws IOException {
		this.notifySocket = notifySocket;
		this.address = address(notifySocket);
		this.channel = AFUNIXDatagramChannel.open();
	}

	/**
	 * Turn a {@code NOTIFY_SOCKET} value into a socket address.
	 * @param notifySocket an absolute path, or {@code @name} for the abstract namespace
	 * @return the address
	 * @throws IllegalArgumentException for any other form (systemd also knows vsock
	 * addresses, which only virtual machines use)
	 * @throws SocketException if the address is too long
	 */
	static AFUNIXSocketAddress address(String notifySocket) throws SocketException {
		if (notifySocket.startsWith("@") && notifySocket.length() > 1) {
			return AFUNIXSocketAddress.inAbstractNamespace(notifySocket.substring(1));
		}
		if (notifySocket.startsWith("/")) {
			return AFUNIXSocketAddress.of(new File(notifySocket));
		}
		throw new IllegalArgumentException("NOTIFY_SOCKET=" + notifySocket
				+ " is neither an absolute path nor an abstract socket name starting with @");
	}

	/**
	 * Send one datagram of newline-separated assignments, as {@code sd_notify} does.
	 * @param state for example {@code READY=1}
	 * @throws IOException if the datagram cannot be sent (no one listens any more)
	 */
	void send(String state) throws IOException {
		this.channel.send(ByteBuffer.wrap(state.getBytes(StandardCharsets.UTF_8)), this.address);
	}

	String notifySocket() {
		return this.notifySocket;
	}

	@Override
	public void close() throws IOException {
		this.channel.close();
	}

}
