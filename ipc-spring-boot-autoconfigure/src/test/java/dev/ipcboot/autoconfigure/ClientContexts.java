package dev.ipcboot.autoconfigure;

import java.io.IOException;
import java.net.InetAddress;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.Socket;
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
	 * A test server for a test that restarts it at the same address: over TCP on a port
	 * below Linux's ephemeral range (32768 and up), where no outgoing connection's port
	 * (one in TIME_WAIT, say) can block the rebind. The server binds a random port
	 * itself, and another on a {@link BindException}: a port found free and released
	 * before the server binds it could be taken by another process meanwhile.
	 */
	static ClientTestServer startOnFixedPort(String transport, Path path, String framing) throws IOException {
		if (!"tcp".equals(transport)) {
			return ClientTestServer.start(transport, path, 0, framing);
		}
		for (int attempt = 0; attempt < 100; attempt++) {
			int port = 20000 + ThreadLocalRandom.current().nextInt(12000);
			try {
				return ClientTestServer.tcp(port, framing);
			}
			catch (BindException ex) {
				// taken; try another
			}
		}
		throw new IllegalStateException("No free port between 20000 and 32000");
	}

	/**
	 * A socket on a loopback TCP port where nothing listens, for as long as it is open:
	 * bound without {@code SO_REUSEADDR} (no other socket can bind the port meanwhile, as
	 * one closed at once would let it) but not listening, so a connection to it is
	 * refused.
	 */
	static Socket portNobodyListensOn() throws IOException {
		Socket socket = new Socket();
		socket.setReuseAddress(false);
		socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
		return socket;
	}

}
