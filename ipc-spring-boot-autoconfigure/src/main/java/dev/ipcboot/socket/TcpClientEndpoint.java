package dev.ipcboot.socket;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslOptions;

/**
 * Connects to a TCP address with Nagle's algorithm off (request/reply traffic is small
 * and latency-bound) and, given an SSL bundle, wraps the socket in TLS with host name
 * verification.
 */
final class TcpClientEndpoint implements ClientEndpoint {

	private final String host;

	private final int port;

	private final @Nullable SSLSocketFactory sslSocketFactory;

	private final @Nullable SslOptions sslOptions;

	private final @Nullable SslBundle sslBundle;

	private final SocketOptions options;

	TcpClientEndpoint(String host, int port, @Nullable SslBundle sslBundle) {
		this(host, port, sslBundle, SocketOptions.DEFAULTS);
	}

	TcpClientEndpoint(String host, int port, @Nullable SslBundle sslBundle, SocketOptions options) {
		this.options = options;
		this.host = host;
		this.port = port;
		this.sslSocketFactory = (sslBundle != null) ? sslBundle.createSslContext().getSocketFactory() : null;
		this.sslOptions = (sslBundle != null) ? sslBundle.getOptions() : null;
		this.sslBundle = sslBundle;
	}

	/**
	 * Keep-alive, Nagle and buffer sizes of each connection.
	 * @return the options
	 */
	SocketOptions options() {
		return this.options;
	}

	String host() {
		return this.host;
	}

	int port() {
		return this.port;
	}

	/**
	 * The SSL bundle that turns on TLS.
	 * @return the bundle, or {@code null} for plain TCP
	 */
	@Nullable SslBundle sslBundle() {
		return this.sslBundle;
	}

	@Override
	public Socket connect(Duration timeout) throws IOException {
		Socket socket = new Socket();
		try {
			socket.setTcpNoDelay(this.options.tcpNoDelay());
			socket.setKeepAlive(this.options.keepAlive());
			// before connect, so the window offered in the handshake fits
			if (this.options.receiveBufferSize() > 0) {
				socket.setReceiveBufferSize(this.options.receiveBufferSize());
			}
			if (this.options.sendBufferSize() > 0) {
				socket.setSendBufferSize(this.options.sendBufferSize());
			}
			socket.connect(new InetSocketAddress(this.host, this.port), Durations.millis(timeout));
			return (this.sslSocketFactory != null) ? handshake(socket, this.sslSocketFactory, timeout) : socket;
		}
		catch (IOException | RuntimeException ex) {
			socket.close();
			throw ex;
		}
	}

	private Socket handshake(Socket plain, SSLSocketFactory factory, Duration timeout) throws IOException {
		SSLSocket socket = (SSLSocket) factory.createSocket(plain, this.host, this.port, true);
		SSLParameters parameters = socket.getSSLParameters();
		parameters.setEndpointIdentificationAlgorithm("HTTPS");
		SslOptions options = this.sslOptions;
		if (options != null && options.getEnabledProtocols() != null) {
			parameters.setProtocols(options.getEnabledProtocols());
		}
		if (options != null && options.getCiphers() != null) {
			parameters.setCipherSuites(options.getCiphers());
		}
		socket.setSSLParameters(parameters);
		socket.setSoTimeout(Durations.millis(timeout));
		socket.startHandshake();
		return socket;
	}

	@Override
	public String describe() {
		return ((this.sslSocketFactory != null) ? "tls:" : "tcp:") + this.host + ":" + this.port;
	}

	@Override
	public String toString() {
		return describe();
	}

}
