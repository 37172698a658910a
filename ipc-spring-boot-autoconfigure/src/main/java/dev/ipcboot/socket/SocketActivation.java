package dev.ipcboot.socket;

/**
 * Whether a server takes its listening socket from systemd (socket activation:
 * {@code LISTEN_PID}, {@code LISTEN_FDS}, {@code LISTEN_FDNAMES}) instead of binding one.
 *
 * @param mode whether to adopt a passed socket, and what to do without one
 * @param name the name in {@code LISTEN_FDNAMES} (systemd's {@code FileDescriptorName=})
 * of the socket to adopt
 */
public record SocketActivation(Mode mode, String name) {

	/**
	 * No activation: the server binds its own socket.
	 * @param name the server's name
	 * @return the settings
	 */
	public static SocketActivation none(String name) {
		return new SocketActivation(Mode.NONE, name);
	}

	/**
	 * When a server takes its socket from systemd.
	 */
	public enum Mode {

		/** Never: bind as configured (the default). */
		NONE,

		/**
		 * Adopt the socket systemd passed under the name; without one, bind as
		 * configured.
		 */
		OPTIONAL,

		/**
		 * Adopt the socket systemd passed under the name; without one, start-up fails.
		 */
		REQUIRED

	}

}
