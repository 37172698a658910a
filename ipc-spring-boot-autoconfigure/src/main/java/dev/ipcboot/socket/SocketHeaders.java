package dev.ipcboot.socket;

/**
 * Names of the message headers socket channels set (local, TCP, UDP and
 * {@code transport: shm} servers, and subscribing clients), for use with {@code @Header}
 * on {@link dev.ipcboot.listener.IpcListener} methods. Which of them a message carries
 * depends on the transport: a TCP peer has an address but no uid. The header every
 * channel sets is {@link dev.ipcboot.listener.IpcHeaders#CHANNEL}.
 */
public final class SocketHeaders {

	/**
	 * Identifier of the connection the message came on ({@code String}), the same as
	 * {@link IpcConnection#id()}; not on UDP, which has no connections.
	 */
	public static final String CONNECTION_ID = "ipc_connectionId";

	/** Process id of a local-socket or shm peer, from the kernel ({@code Integer}). */
	public static final String PEER_PID = "ipc_peerPid";

	/** User id of a local-socket or shm peer, from the kernel ({@code Integer}). */
	public static final String PEER_UID = "ipc_peerUid";

	/** Group id of a local-socket or shm peer, from the kernel ({@code Integer}). */
	public static final String PEER_GID = "ipc_peerGid";

	/**
	 * Remote address of a TCP peer or the sender of a UDP datagram, {@code host:port}
	 * ({@code String}).
	 */
	public static final String REMOTE_ADDRESS = "ipc_remoteAddress";

	/**
	 * Subject of the certificate a TLS client presented ({@code client-auth: want} or
	 * {@code need}), as an RFC 2253 string ({@code String}); absent when the client
	 * presented none.
	 */
	public static final String PEER_CERTIFICATE_SUBJECT = "ipc_peerCertificateSubject";

	/**
	 * Certificate chain a TLS client presented, its own certificate first
	 * ({@code java.security.cert.X509Certificate[]}); absent when the client presented
	 * none.
	 */
	public static final String PEER_CERTIFICATES = "ipc_peerCertificates";

	private SocketHeaders() {
	}

}
