package dev.ipcboot.session;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Tells systemd what the application is doing, through {@code NOTIFY_SOCKET} like
 * {@code sd_notify(3)}: {@code READY=1} when it is ready, {@code STOPPING=1} when it
 * stops, {@code STATUS=} lines shown by {@code systemctl status}, and {@code WATCHDOG=1}
 * heartbeats. The starter sends the first two and the heartbeats itself; applications
 * call {@link #status(String)}.
 * <p>
 * This bean exists only when the application runs as a {@code Type=notify} service
 * (inject it with {@code ObjectProvider<SystemdNotifier>}). A failure to send is logged
 * once and never thrown: systemd notification is advice, the application must not fail
 * because of it.
 */
public final class SystemdNotifier implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(SystemdNotifier.class);

	private final SystemdNotifySocket socket;

	private final AtomicBoolean stopping = new AtomicBoolean();

	private final AtomicBoolean failureLogged = new AtomicBoolean();

	/**
	 * Create a notifier.
	 * @param notifySocket the value of {@code NOTIFY_SOCKET}: an absolute path or
	 * {@code @name} for an abstract socket
	 * @throws IllegalArgumentException if the value is neither
	 * @throws IOException if no datagram socket can be created
	 */
	public SystemdNotifier(String notifySocket) throws IOException {
		this.socket = new SystemdNotifySocket(notifySocket);
	}

	/**
	 * Send {@code READY=1}: start-up is complete.
	 */
	public void ready() {
		send("READY=1");
	}

	/**
	 * Send {@code STOPPING=1}, once: the application has begun to stop.
	 */
	public void stopping() {
		if (this.stopping.compareAndSet(false, true)) {
			send("STOPPING=1");
		}
	}

	/**
	 * Send a status line, shown by {@code systemctl status}.
	 * @param status one line of text, for example {@code Serving 3 clients}; line breaks
	 * are replaced by spaces because the protocol is line-based
	 */
	public void status(String status) {
		send("STATUS=" + status.replace('\n', ' ').replace('\r', ' '));
	}

	/**
	 * Send {@code WATCHDOG=1}: the application is alive and well.
	 */
	public void watchdog() {
		send("WATCHDOG=1");
	}

	/**
	 * Send assignments as they are, one per line ({@code EXTEND_TIMEOUT_USEC=...}).
	 * @param state newline-separated {@code KEY=value} assignments
	 */
	public void send(String state) {
		try {
			this.socket.send(state);
		}
		catch (IOException | RuntimeException ex) {
			if (this.failureLogged.compareAndSet(false, true)) {
				// the cause is in the message; a stack trace would only say "inside
				// junixsocket"
				logger.warn("Could not notify systemd through NOTIFY_SOCKET=" + this.socket.notifySocket() + " (" + ex
						+ "); further failures are not logged");
			}
		}
	}

	/**
	 * Close the socket; later notifications are dropped with one warning.
	 * @throws IOException if closing fails
	 */
	@Override
	public void close() throws IOException {
		this.socket.close();
	}

}
