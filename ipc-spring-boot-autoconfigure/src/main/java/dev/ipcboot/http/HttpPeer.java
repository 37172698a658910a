package dev.ipcboot.http;

/**
 * Who is on the other end of a request that came in over the Unix-domain socket, as the
 * kernel reports it ({@code SO_PEERCRED}), so it cannot be forged by a header. The server
 * stores it as the request attribute {@link #ATTRIBUTE}; a servlet filter (for example
 * one that builds a Spring Security {@code Authentication}) reads it from there. Requests
 * that came in over TCP have no such attribute. The JDK's socket API reports the peer's
 * user and group, not its process id.
 *
 * @param uid the peer process's effective user id
 * @param gid the peer process's effective group id
 * @param user the user's name, or the uid in decimal when it has none
 * @param group the group's name, or the gid in decimal when it has none
 */
public record HttpPeer(int uid, int gid, String user, String group) {

	/**
	 * Name of the request attribute holding the {@link HttpPeer} of a request that came
	 * in over the Unix-domain socket.
	 */
	public static final String ATTRIBUTE = "dev.ipcboot.http.HttpPeer";

	@Override
	public String toString() {
		return "uid " + this.uid + " (" + this.user + ") gid " + this.gid + " (" + this.group + ")";
	}

}
