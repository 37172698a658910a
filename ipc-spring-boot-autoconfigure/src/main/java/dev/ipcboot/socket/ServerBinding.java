package dev.ipcboot.socket;

import java.util.List;
import java.util.Set;

import javax.net.ssl.SSLContext;

import org.jspecify.annotations.Nullable;

/**
 * Where a socket server listens: a local (Unix-domain) address or a TCP address.
 */
public sealed interface ServerBinding permits ServerBinding.Local, ServerBinding.Tcp {

	/**
	 * A Unix-domain socket.
	 *
	 * @param address absolute file path, or the name in the abstract namespace
	 * @param addressKey the property the address came from, {@code path} or {@code name},
	 * for error messages
	 * @param abstractNamespace whether {@code address} is a Linux abstract name (a
	 * leading NUL and no trailing NUL, like Qt 6's {@code AbstractNamespaceOption}); no
	 * file is created then
	 * @param permissions mode of the socket file
	 * @param allowedUids user ids allowed to connect; empty allows any peer the file mode
	 * lets in, or, for an abstract name (which has no file mode), only the application's
	 * own user
	 */
	record Local(String address, String addressKey, boolean abstractNamespace, SocketPermissions permissions,
			Set<Integer> allowedUids) implements ServerBinding {

		public Local {
			allowedUids = Set.copyOf(allowedUids);
		}

		@Override
		public SocketTransport transport() {
			return SocketTransport.LOCAL;
		}

		/**
		 * The same binding admitting other user ids.
		 * @param allowedUids user ids allowed to connect; empty as in
		 * {@link #allowedUids()}
		 * @return a new binding
		 */
		public Local withAllowedUids(Set<Integer> allowedUids) {
			return new Local(this.address, this.addressKey, this.abstractNamespace, this.permissions, allowedUids);
		}

	}

	/**
	 * A TCP socket.
	 *
	 * @param host address of the interface to listen on
	 * @param port the port, {@code 0} for an ephemeral one
	 * @param sslContext TLS context, or {@code null} for plain TCP
	 * @param tlsProtocols TLS protocols to enable; empty for the context's defaults
	 * @param tlsCiphers cipher suites to enable; empty for the context's defaults
	 * @param clientAuth whether the TLS server asks for a client certificate
	 */
	record Tcp(String host, int port, @Nullable SSLContext sslContext, List<String> tlsProtocols,
			List<String> tlsCiphers, ClientAuth clientAuth) implements ServerBinding {

		public Tcp {
			tlsProtocols = List.copyOf(tlsProtocols);
			tlsCiphers = List.copyOf(tlsCiphers);
			if (sslContext == null && clientAuth != ClientAuth.NONE) {
				throw new IllegalArgumentException("client-auth " + clientAuth + " needs TLS (an SSL context)");
			}
		}

		/**
		 * A TLS binding that asks for no client certificate.
		 * @param host address of the interface to listen on
		 * @param port the port, {@code 0} for an ephemeral one
		 * @param sslContext TLS context, or {@code null} for plain TCP
		 * @param tlsProtocols TLS protocols to enable; empty for the context's defaults
		 * @param tlsCiphers cipher suites to enable; empty for the context's defaults
		 */
		public Tcp(String host, int port, @Nullable SSLContext sslContext, List<String> tlsProtocols,
				List<String> tlsCiphers) {
			this(host, port, sslContext, tlsProtocols, tlsCiphers, ClientAuth.NONE);
		}

		/**
		 * A plain TCP binding.
		 * @param host address of the interface to listen on
		 * @param port the port, {@code 0} for an ephemeral one
		 */
		public Tcp(String host, int port) {
			this(host, port, null, List.of(), List.of());
		}

		@Override
		public SocketTransport transport() {
			return SocketTransport.TCP;
		}

	}

	/**
	 * Whether a TLS server asks its clients for a certificate ({@code client-auth}). The
	 * certificate is checked against the trust store of the server's SSL bundle.
	 */
	enum ClientAuth {

		/** No client certificate is asked for (the default). */
		NONE,

		/**
		 * A certificate is asked for; a client without one is served, one with a
		 * certificate the trust store does not accept is refused.
		 */
		WANT,

		/** A client without a certificate the trust store accepts is refused. */
		NEED

	}

	/**
	 * The transport of this binding.
	 * @return local or TCP
	 */
	SocketTransport transport();

}
