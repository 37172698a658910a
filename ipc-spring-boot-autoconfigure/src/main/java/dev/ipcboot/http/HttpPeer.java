package dev.ipcboot.http;

/**
 * Who is on the other end of a request that came in over the Unix-domain socket, as the
 * kernel reports it ({@code SO_PEERCRED}), so it cannot be forged by a header. The server
 * stores it as the request attribute {@link #ATTRIBUTE}; a servlet filter (for example
 * one that builds a Spring Security {@code Authentication}) reads it from there. Requests
 * that came in over TCP have no such attribute. On Reactor Netty (WebFlux) the same
 * object is the exchange attribute {@link #ATTRIBUTE}. Tomcat and Jetty read the peer
 * through the JDK's socket API, which reports its user and group but not its process id;
 * Reactor Netty's native transport reports the process id as well.
 *
 * @param uid the peer process's effective user id
 * @param gid the peer process's effective group id
 * @param user the user's name, or the uid in decimal when it has none
 * @param group the group's name, or the gid in decimal when it has none
 * @param pid the peer process's id when it connected, or {@code 0} when the server cannot
 * know it (Tomcat, Jetty)
 */
public record HttpPeer(int uid, int gid, String user, String group, int pid) {

	/**
	 * A peer whose process id is not known.
	 * @param uid the peer process's effective user id
	 * @param gid the peer process's effective group id
	 * @param user the user's name, or the uid in decimal when it has none
	 * @param group the group's name, or the gid in decimal when it has none
	 */
	public HttpPeer(int uid, int gid, String user, String group) {
		this(uid, gid, user, group, 0);
	}

	/**
	 * Name of the request attribute holding the {@link HttpPeer} of a request that came
	 * in over the Unix-domain socket.
	 */
	public static final String ATTRIBUTE = "dev.ipcboot.http.HttpPeer";

	@Override
	public String toString() {
		return "uid " + this.uid + " (" + this.user + ") gid " + this.gid + " (" + this.group + ")"
				+ ((this.pid > 0) ? " pid " + this.pid : "");
	}

}
