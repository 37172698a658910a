package dev.ipcboot.socket;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;

import org.jspecify.annotations.Nullable;

import org.springframework.integration.ip.tcp.connection.TcpNetServerConnectionFactory;

/**
 * Spring Integration's blocking server connection factory over a server socket that is
 * already bound, local or TCP: binding happens synchronously in
 * {@link SocketServer#start()} so that a bad address fails start-up, and the accept loop,
 * framing, connection events and read loops are the same objects for both transports.
 */
final class ServerConnectionFactory extends TcpNetServerConnectionFactory {

	private final ServerSocket bound;

	private final boolean tcp;

	private final int idleTimeoutMillis;

	ServerConnectionFactory(ServerSocket bound, boolean tcp, int idleTimeoutMillis) {
		super(0);
		this.bound = bound;
		this.tcp = tcp;
		this.idleTimeoutMillis = idleTimeoutMillis;
	}

	@Override
	protected ServerSocket createServerSocket(int port, int backlog, @Nullable InetAddress whichNic) {
		return this.bound;
	}

	/**
	 * {@link SocketServer} publishes its own started event synchronously; Spring
	 * Integration's would need a task scheduler from an integration context.
	 */
	@Override
	protected void publishServerListeningEvent(int port) {
	}

	/**
	 * Only options that mean something for the transport; an exception here would stop
	 * the accept loop, so a failure is left to the connection's first read.
	 */
	@Override
	protected void setSocketAttributes(Socket socket) {
		try {
			socket.setSoTimeout(this.idleTimeoutMillis);
			if (this.tcp) {
				socket.setTcpNoDelay(true);
			}
		}
		catch (SocketException ex) {
			logger.debug(ex, "Could not set socket options");
		}
	}

}
