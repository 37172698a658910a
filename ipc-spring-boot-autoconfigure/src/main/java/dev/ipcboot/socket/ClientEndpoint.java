package dev.ipcboot.socket;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;

import dev.ipcboot.socket.internal.LocalClientEndpoint;
import dev.ipcboot.socket.internal.TcpClientEndpoint;

/**
 * Where an {@link IpcClient} connects: a local (Unix-domain) socket or a TCP address,
 * optionally with TLS. It opens connected sockets and knows nothing of framing.
 */
public interface ClientEndpoint {

	/**
	 * Open a connected socket (and complete the TLS handshake, if any).
	 * @param timeout how long connecting may take
	 * @return the connected socket
	 * @throws IOException if the server cannot be reached in time
	 */
	Socket connect(Duration timeout) throws IOException;

	/**
	 * The address for messages and events, for example {@code local:/run/orders.sock},
	 * {@code local:@orders} (abstract namespace) or {@code tcp:127.0.0.1:7000}.
	 * @return the address
	 */
	String describe();

	/**
	 * A local socket file.
	 * @param path absolute path of the socket file
	 * @return the endpoint
	 * @throws IllegalStateException if junixsocket is not on the class path
	 */
	static ClientEndpoint local(Path path) {
		return LocalClientEndpoint.file(path);
	}

	/**
	 * A socket in Linux's abstract namespace: a leading NUL and then the name's UTF-8
	 * bytes, no trailing NUL (the address Qt 6's {@code AbstractNamespaceOption} uses).
	 * @param name the name, without the leading NUL
	 * @return the endpoint
	 * @throws IllegalStateException if junixsocket is not on the class path
	 */
	static ClientEndpoint localAbstract(String name) {
		return LocalClientEndpoint.abstractName(name);
	}

	/**
	 * A TCP address, with TLS when a bundle is given. The server's certificate must be
	 * trusted by the bundle and name the host (the host name is verified).
	 * @param host host name or address
	 * @param port port, 1 to 65535
	 * @param sslBundle the bundle that turns on TLS, or {@code null} for plain TCP
	 * @return the endpoint
	 */
	static ClientEndpoint tcp(String host, int port, @Nullable SslBundle sslBundle) {
		return new TcpClientEndpoint(host, port, sslBundle, SocketOptions.DEFAULTS);
	}

	/**
	 * A TCP address with socket options, with TLS when a bundle is given.
	 * @param host host name or address
	 * @param port port, 1 to 65535
	 * @param sslBundle the bundle that turns on TLS, or {@code null} for plain TCP
	 * @param options keep-alive, Nagle and buffer sizes of each connection (the backlog
	 * does not apply to a client)
	 * @return the endpoint
	 */
	static ClientEndpoint tcp(String host, int port, @Nullable SslBundle sslBundle, SocketOptions options) {
		return new TcpClientEndpoint(host, port, sslBundle, options);
	}

	/**
	 * A TCP address with TLS from a named SSL bundle, following the bundle's reloads
	 * ({@code spring.ssl.bundle.*.reload-on-update}): connections opened after a reload
	 * use the rotated key and trust store.
	 * @param host host name or address
	 * @param port port, 1 to 65535
	 * @param sslBundles the application's SSL bundles
	 * @param bundleName the bundle's name
	 * @return the endpoint
	 * @throws org.springframework.boot.ssl.NoSuchSslBundleException if there is no such
	 * bundle
	 */
	static ClientEndpoint tcp(String host, int port, SslBundles sslBundles, String bundleName) {
		return tcp(host, port, sslBundles, bundleName, SocketOptions.DEFAULTS);
	}

	/**
	 * A TCP endpoint with TLS from a named SSL bundle that follows the bundle's reloads,
	 * and the given socket options.
	 * @param host the host
	 * @param port the port
	 * @param sslBundles the application's SSL bundles
	 * @param bundleName the bundle to use
	 * @param options the socket options of each connection
	 * @return the endpoint
	 */
	static ClientEndpoint tcp(String host, int port, SslBundles sslBundles, String bundleName, SocketOptions options) {
		TcpClientEndpoint endpoint = new TcpClientEndpoint(host, port, sslBundles.getBundle(bundleName), options);
		sslBundles.addBundleUpdateHandler(bundleName, endpoint::sslBundleUpdated);
		return endpoint;
	}

}
