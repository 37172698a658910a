package dev.ipcboot.socket;

/**
 * Which kind of socket a server or client uses. Changing it is the only edit needed to
 * move a channel from one machine to many.
 */
public enum SocketTransport {

	/** Unix-domain socket: a file path or a Linux abstract name. */
	LOCAL,

	/** TCP/IP, optionally with TLS. */
	TCP

}
