package dev.ipcboot.socket.internal;

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

import dev.ipcboot.socket.ClientEndpoint;
import dev.ipcboot.socket.SocketOptions;

/**
 * Connects to a TCP address with Nagle's algorithm off (request/reply traffic is small
 * and latency-bound) and, given an SSL bundle, wraps the socket in TLS with host name
 * verification.
 */
public final class TcpClientEndpoint implements ClientEndpoint {

	private final String host;

	private final int port;

	/**
	 * The bundle and its socket factory; replaced together when the bundle is reloaded.
	 */
	private volatile @Nullable Tls tls;

	private final SocketOptions options;

	TcpClientEndpoint(String host, int port, @Nullable SslBundle sslBundle) {
		this(host, port, sslBundle, SocketOptions.DEFAULTS);
	}

	public TcpClientEndpoint(String host, int port, @Nullable SslBundle sslBundle, SocketOptions options) {
		this.options = options;
		this.host = host;
		this.port = port;
		this.tls = (sslBundle != null) ? new Tls(sslBundle) : null;
	}

	/**
	 * Use a reloaded SSL bundle (a rotated key or trust store) for the connections opened
	 * from now on; open connections keep theirs.
	 * @param sslBundle the new bundle
	 */
	public void sslBundleUpdated(SslBundle sslBundle) {
		this.tls = new Tls(sslBundle);
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
		Tls current = this.tls;
		return (current != null) ? current.bundle() : null;
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
			Tls current = this.tls;
			return (current != null) ? handshake(socket, current, timeout) : socket;
		}
		catch (IOException | RuntimeException ex) {
			socket.close();
			throw ex;
		}
	}

	private Socket handshake(Socket plain, Tls tls, Duration timeout) throws IOException {
		SSLSocket socket = (SSLSocket) tls.factory().createSocket(plain, this.host, this.port, true);
		SSLParameters parameters = socket.getSSLParameters();
		parameters.setEndpointIdentificationAlgorithm("HTTPS");
		SslOptions options = tls.bundle().getOptions();
		if (options.getEnabledProtocols() != null) {
			parameters.setProtocols(options.getEnabledProtocols());
		}
		if (options.getCiphers() != null) {
			parameters.setCipherSuites(options.getCiphers());
		}
		socket.setSSLParameters(parameters);
		socket.setSoTimeout(Durations.millis(timeout));
		socket.startHandshake();
		return socket;
	}

	@Override
	public String describe() {
		return ((this.tls != null) ? "tls:" : "tcp:") + this.host + ":" + this.port;
	}

	/**
	 * An SSL bundle and the socket factory of its context. The context holds the bundle's
	 * key store, so a client whose bundle has a key presents its certificate when the
	 * server asks for one.
	 */
	private record Tls(SslBundle bundle, SSLSocketFactory factory) {

		Tls(SslBundle bundle) {
			this(bundle, bundle.createSslContext().getSocketFactory());
		}

	}

	@Override
	public String toString() {
		return describe();
	}

}
