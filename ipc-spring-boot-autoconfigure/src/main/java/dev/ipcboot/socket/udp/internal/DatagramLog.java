package dev.ipcboot.socket.udp.internal;

import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;

/**
 * Logs dropped datagrams at WARN, at most one line per interval: a peer that floods a UDP
 * port with bad datagrams must not flood the log. Lines suppressed in between are counted
 * on the next line that is written.
 */
final class DatagramLog {

	private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

	private final Log logger;

	private long windowStart;

	private boolean started;

	private int suppressed;

	DatagramLog(Log logger) {
		this.logger = logger;
	}

	void warn(String line) {
		int count;
		synchronized (this) {
			long now = System.nanoTime();
			if (this.started && now - this.windowStart < INTERVAL_NANOS) {
				this.suppressed++;
				return;
			}
			this.started = true;
			this.windowStart = now;
			count = this.suppressed;
			this.suppressed = 0;
		}
		this.logger.warn(line + ((count > 0) ? " (" + count + " more since the last such line)" : ""));
	}

}
