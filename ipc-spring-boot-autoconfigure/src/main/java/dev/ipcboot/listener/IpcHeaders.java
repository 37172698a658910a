package dev.ipcboot.listener;

/**
 * Names of the message headers the starter sets, for use with {@code @Header} on
 * {@link IpcListener} methods. Which headers a message carries depends on its channel.
 */
public final class IpcHeaders {

	private static final String PREFIX = "ipc_";

	/** Name of the channel the message came from ({@code String}). */
	public static final String CHANNEL = PREFIX + "channel";

	/** Identifier of the socket connection the message came on ({@code String}). */
	public static final String CONNECTION_ID = PREFIX + "connectionId";

	/** Process id of a local-socket peer, from the kernel ({@code Integer}). */
	public static final String PEER_PID = PREFIX + "peerPid";

	/** User id of a local-socket peer, from the kernel ({@code Integer}). */
	public static final String PEER_UID = PREFIX + "peerUid";

	/** Group id of a local-socket peer, from the kernel ({@code Integer}). */
	public static final String PEER_GID = PREFIX + "peerGid";

	/** Remote address of a TCP peer, {@code host:port} ({@code String}). */
	public static final String REMOTE_ADDRESS = PREFIX + "remoteAddress";

	/**
	 * Subject of the certificate a TLS client presented ({@code client-auth: want} or
	 * {@code need}), as an RFC 2253 string ({@code String}); absent when the client
	 * presented none.
	 */
	public static final String PEER_CERTIFICATE_SUBJECT = PREFIX + "peerCertificateSubject";

	/**
	 * Certificate chain a TLS client presented, its own certificate first
	 * ({@code java.security.cert.X509Certificate[]}); absent when the client presented
	 * none.
	 */
	public static final String PEER_CERTIFICATES = PREFIX + "peerCertificates";

	/** Unique bus name of the sender of a D-Bus signal ({@code String}). */
	public static final String DBUS_SENDER = PREFIX + "dbusSender";

	/** Object path of a D-Bus signal ({@code String}). */
	public static final String DBUS_PATH = PREFIX + "dbusPath";

	/** Interface of a D-Bus signal ({@code String}). */
	public static final String DBUS_INTERFACE = PREFIX + "dbusInterface";

	/** Member (signal name) of a D-Bus signal ({@code String}). */
	public static final String DBUS_MEMBER = PREFIX + "dbusMember";

	/** Name of the managed process whose output the message is ({@code String}). */
	public static final String PROCESS_NAME = PREFIX + "processName";

	/**
	 * Stream of a managed process's output line: {@code stdout} or {@code stderr}
	 * ({@code String}).
	 */
	public static final String PROCESS_STREAM = PREFIX + "processStream";

	private IpcHeaders() {
	}

}
