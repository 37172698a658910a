package dev.ipcboot.socket.internal;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

import org.springframework.util.ClassUtils;

import dev.ipcboot.socket.ClientEndpoint;

/**
 * Connects to a local socket with junixsocket, whose {@link AFUNIXSocket} is a
 * {@link Socket}, so that everything above it (streams, framing, timeouts) is the same
 * code TCP uses.
 */
public final class LocalClientEndpoint implements ClientEndpoint {

	private static final boolean JUNIXSOCKET_PRESENT = ClassUtils.isPresent("org.newsclub.net.unix.AFUNIXSocket",
			LocalClientEndpoint.class.getClassLoader());

	private final byte[] address;

	private final String description;

	private LocalClientEndpoint(byte[] address, String description) {
		this.address = address;
		this.description = description;
	}

	public static LocalClientEndpoint file(Path path) {
		requireJunixsocket();
		return new LocalClientEndpoint(path.toString().getBytes(StandardCharsets.UTF_8), "local:" + path);
	}

	public static LocalClientEndpoint abstractName(String name) {
		requireJunixsocket();
		byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
		byte[] address = new byte[bytes.length + 1];
		System.arraycopy(bytes, 0, address, 1, bytes.length);
		return new LocalClientEndpoint(address, "local:@" + name);
	}

	private static void requireJunixsocket() {
		if (!JUNIXSOCKET_PRESENT) {
			throw new IllegalStateException("Local sockets need junixsocket: add com.kohlschutter.junixsocket:"
					+ "junixsocket-core (type pom) to the dependencies, or use transport tcp");
		}
	}

	/**
	 * The socket's path, or its abstract name without the leading NUL.
	 * @return the path or name
	 */
	String pathOrName() {
		return isAbstract() ? new String(this.address, 1, this.address.length - 1, StandardCharsets.UTF_8)
				: new String(this.address, StandardCharsets.UTF_8);
	}

	/**
	 * Whether it is a name in Linux's abstract namespace.
	 * @return whether it is
	 */
	boolean isAbstract() {
		return this.address.length > 0 && this.address[0] == 0;
	}

	@Override
	public Socket connect(Duration timeout) throws IOException {
		AFUNIXSocket socket = AFUNIXSocket.newInstance();
		try {
			socket.connect(AFUNIXSocketAddress.of(this.address), Durations.millis(timeout));
			return socket;
		}
		catch (IOException | RuntimeException ex) {
			socket.close();
			throw ex;
		}
	}

	@Override
	public String describe() {
		return this.description;
	}

	@Override
	public String toString() {
		return this.description;
	}

}
