package dev.ipcboot.listener;

/**
 * Names of the message headers every channel sets, for use with {@code @Header} on
 * {@link IpcListener} methods. The headers of one kind of channel are declared by its
 * facility: {@code dev.ipcboot.socket.SocketHeaders},
 * {@code dev.ipcboot.dbus.DBusHeaders}, {@code dev.ipcboot.process.ProcessHeaders} (ADR
 * 0018). The facility headers are still here, deprecated, with the same values: SPEC §2
 * and §9 name them in this class.
 */
public final class IpcHeaders {

	/** Name of the channel the message came from ({@code String}); on every message. */
	public static final String CHANNEL = "ipc_channel";

	/**
	 * Identifier of the socket connection the message came on ({@code String}).
	 * @deprecated use {@code dev.ipcboot.socket.SocketHeaders.CONNECTION_ID}, the same
	 * value
	 */
	@Deprecated(since = "0.1.0")
	public static final String CONNECTION_ID = "ipc_connectionId";

	/**
	 * Process id of a local-socket peer, from the kernel ({@code Integer}).
	 * @deprecated use {@code dev.ipcboot.socket.SocketHeaders.PEER_PID}, the same value
	 */
	@Deprecated(since = "0.1.0")
	public static final String PEER_PID = "ipc_peerPid";

	/**
	 * User id of a local-socket peer, from the kernel ({@code Integer}).
	 * @deprecated use {@code dev.ipcboot.socket.SocketHeaders.PEER_UID}, the same value
	 */
	@Deprecated(since = "0.1.0")
	public static final String PEER_UID = "ipc_peerUid";

	/**
	 * Group id of a local-socket peer, from the kernel ({@code Integer}).
	 * @deprecated use {@code dev.ipcboot.socket.SocketHeaders.PEER_GID}, the same value
	 */
	@Deprecated(since = "0.1.0")
	public static final String PEER_GID = "ipc_peerGid";

	/**
	 * Remote address of a TCP peer, {@code host:port} ({@code String}).
	 * @deprecated use {@code dev.ipcboot.socket.SocketHeaders.REMOTE_ADDRESS}, the same
	 * value
	 */
	@Deprecated(since = "0.1.0")
	public static final String REMOTE_ADDRESS = "ipc_remoteAddress";

	/**
	 * Subject of the certificate a TLS client presented ({@code String}).
	 * @deprecated use {@code dev.ipcboot.socket.SocketHeaders.PEER_CERTIFICATE_SUBJECT},
	 * the same value
	 */
	@Deprecated(since = "0.1.0")
	public static final String PEER_CERTIFICATE_SUBJECT = "ipc_peerCertificateSubject";

	/**
	 * Certificate chain a TLS client presented
	 * ({@code java.security.cert.X509Certificate[]}).
	 * @deprecated use {@code dev.ipcboot.socket.SocketHeaders.PEER_CERTIFICATES}, the
	 * same value
	 */
	@Deprecated(since = "0.1.0")
	public static final String PEER_CERTIFICATES = "ipc_peerCertificates";

	/**
	 * Unique bus name of the sender of a D-Bus signal ({@code String}).
	 * @deprecated use {@code dev.ipcboot.dbus.DBusHeaders.SENDER}, the same value
	 */
	@Deprecated(since = "0.1.0")
	public static final String DBUS_SENDER = "ipc_dbusSender";

	/**
	 * Object path of a D-Bus signal ({@code String}).
	 * @deprecated use {@code dev.ipcboot.dbus.DBusHeaders.PATH}, the same value
	 */
	@Deprecated(since = "0.1.0")
	public static final String DBUS_PATH = "ipc_dbusPath";

	/**
	 * Interface of a D-Bus signal ({@code String}).
	 * @deprecated use {@code dev.ipcboot.dbus.DBusHeaders.INTERFACE}, the same value
	 */
	@Deprecated(since = "0.1.0")
	public static final String DBUS_INTERFACE = "ipc_dbusInterface";

	/**
	 * Member (signal name) of a D-Bus signal ({@code String}).
	 * @deprecated use {@code dev.ipcboot.dbus.DBusHeaders.MEMBER}, the same value
	 */
	@Deprecated(since = "0.1.0")
	public static final String DBUS_MEMBER = "ipc_dbusMember";

	/**
	 * Name of the managed process whose output the message is ({@code String}).
	 * @deprecated use {@code dev.ipcboot.process.ProcessHeaders.NAME}, the same value
	 */
	@Deprecated(since = "0.1.0")
	public static final String PROCESS_NAME = "ipc_processName";

	/**
	 * Stream of a managed process's output line: {@code stdout} or {@code stderr}
	 * ({@code String}).
	 * @deprecated use {@code dev.ipcboot.process.ProcessHeaders.STREAM}, the same value
	 */
	@Deprecated(since = "0.1.0")
	public static final String PROCESS_STREAM = "ipc_processStream";

	private IpcHeaders() {
	}

}
