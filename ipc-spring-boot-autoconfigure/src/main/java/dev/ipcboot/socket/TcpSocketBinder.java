package dev.ipcboot.socket;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

import dev.ipcboot.IpcConfigurationException;

/**
 * Binds the TCP server socket of a {@link SocketServer}, over TLS when the binding has an
 * {@link SSLContext}: the TCP counterpart of {@link LocalSocketBinder}. A port in use is
 * an {@link IpcConfigurationException} naming the {@code port} property.
 */
final class TcpSocketBinder {

	private TcpSocketBinder() {
	}

	static BoundServerSocket bind(SocketServerSettings settings, ServerBinding.Tcp tcp, int backlog)
			throws IOException {
		SSLContext ssl = tcp.sslContext();
		ServerSocket socket = (ssl != null) ? ssl.getServerSocketFactory().createServerSocket() : new ServerSocket();
		if (socket instanceof SSLServerSocket tls) {
			if (!tcp.tlsProtocols().isEmpty()) {
				tls.setEnabledProtocols(tcp.tlsProtocols().toArray(String[]::new));
			}
			if (!tcp.tlsCiphers().isEmpty()) {
				tls.setEnabledCipherSuites(tcp.tlsCiphers().toArray(String[]::new));
			}
		}
		try {
			socket.setReuseAddress(true);
			socket.bind(new InetSocketAddress(tcp.host(), tcp.port()), backlog);
		}
		catch (BindException ex) {
			socket.close();
			throw new IpcConfigurationException(settings.property() + ".port",
					"cannot listen on " + tcp.host() + ":" + tcp.port() + " (" + ex.getMessage() + ")",
					"Stop the process that uses the port, choose another port, or use 0 for an ephemeral one.");
		}
		int port = socket.getLocalPort();
		return new BoundServerSocket(socket, tcp.host() + ":" + port, port, () -> {
		});
	}

}
