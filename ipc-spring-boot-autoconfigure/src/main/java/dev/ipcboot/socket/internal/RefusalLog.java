package dev.ipcboot.socket.internal;

import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Logs a server's refused connections (caps, {@code allowed-uids}) at WARN, at most one
 * line per interval: the first refusal at once, those that follow within the interval as
 * one line with their count at its end.
 */
final class RefusalLog {

	private static final Log logger = LogFactory.getLog(SocketServer.class);

	private final String server;

	private final SocketEngine engine;

	private final long intervalNanos;

	private long windowStart;

	private int suppressed;

	private @Nullable String last;

	private boolean flushScheduled;

	RefusalLog(String server, SocketEngine engine, long intervalNanos) {
		this.server = server;
		this.engine = engine;
		this.intervalNanos = intervalNanos;
		this.windowStart = System.nanoTime() - intervalNanos;
	}

	synchronized void refused(String peer, String reason) {
		long now = System.nanoTime();
		String description = peer + ": " + reason;
		if (now - this.windowStart >= this.intervalNanos && this.suppressed == 0) {
			this.windowStart = now;
			logger.warn("Socket server '" + this.server + "' refused a connection from " + description);
			return;
		}
		this.suppressed++;
		this.last = description;
		if (!this.flushScheduled) {
			this.flushScheduled = true;
			long delay = Math.max(0, this.windowStart + this.intervalNanos - now);
			this.engine.group().schedule(this::flush, delay, TimeUnit.NANOSECONDS);
		}
	}

	private synchronized void flush() {
		this.flushScheduled = false;
		if (this.suppressed > 0) {
			logger.warn("Socket server '" + this.server + "' refused " + this.suppressed + " more connection(s) in "
					+ "the last " + TimeUnit.NANOSECONDS.toSeconds(this.intervalNanos) + "s; the last from "
					+ this.last);
			this.suppressed = 0;
			this.windowStart = System.nanoTime();
		}
	}

}
