package dev.ipcboot.autoconfigure;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The application context the client tests start: the starter's listener and socket
 * auto-configuration with Jackson and SSL bundles, as in an application.
 */
final class ClientContexts {

	private ClientContexts() {
	}

	static ApplicationContextRunner runner() {
		return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class,
				SslAutoConfiguration.class, IpcListenerAutoConfiguration.class, SocketAutoConfiguration.class));
	}

	/** Properties of a client named {@code name} that reaches the given server. */
	static String[] client(String name, String transport, Path path, int port, String framing, String... more) {
		String prefix = "ipc.clients." + name + ".";
		String[] base = { prefix + "transport=" + transport, prefix + "path=" + path, prefix + "port=" + port,
				prefix + "framing=" + framing };
		String[] all = new String[base.length + more.length];
		System.arraycopy(base, 0, all, 0, base.length);
		for (int i = 0; i < more.length; i++) {
			all[base.length + i] = prefix + more[i];
		}
		return all;
	}

	/**
	 * A free TCP port below Linux's ephemeral range (32768 and up), for a server that is
	 * restarted on the same port: an outgoing connection's port in TIME_WAIT could
	 * otherwise block the rebind.
	 */
	static int freeFixedPort() {
		for (int attempt = 0; attempt < 100; attempt++) {
			int port = 20000 + ThreadLocalRandom.current().nextInt(12000);
			try (ServerSocket socket = new ServerSocket()) {
				socket.setReuseAddress(true);
				socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
				return port;
			}
			catch (IOException ex) {
				// taken; try another
			}
		}
		throw new IllegalStateException("No free port between 20000 and 32000");
	}

	/** A TCP port on the loopback interface that was free a moment ago. */
	static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
