package dev.ipcboot.process;

import java.io.UncheckedIOException;
import java.util.Arrays;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.ipcboot.listener.IpcReplyTarget;

/**
 * Writes the replies of listeners on a process channel to that process's standard input,
 * one line each, so that a listener and a child hold a line-by-line conversation. A reply
 * that cannot be written (standard input closed, process gone) is dropped with a debug
 * log: the process ending is reported by its own events.
 */
final class ProcessReplyTarget implements IpcReplyTarget {

	private static final Log logger = LogFactory.getLog(ProcessReplyTarget.class);

	private final ChildProcess process;

	ProcessReplyTarget(ChildProcess process) {
		this.process = process;
	}

	@Override
	public void reply(byte[] payload) {
		byte[] line = payload;
		if (line.length == 0 || line[line.length - 1] != '\n') {
			line = Arrays.copyOf(payload, payload.length + 1);
			line[payload.length] = '\n';
		}
		try {
			if (this.process.isStdinOpen()) {
				this.process.write(line);
				return;
			}
			logger.debug("Dropped a reply to " + this.process + ": its standard input is closed");
		}
		catch (IllegalStateException | UncheckedIOException ex) {
			logger.debug("Dropped a reply to " + this.process + ": " + ex.getMessage());
		}
	}

	@Override
	public void fail(Throwable error) {
		// The listener adapter has logged the failure and published ListenerFailedEvent;
		// the process keeps running, as one bad line must not cost the whole child.
	}

	@Override
	public String describePeer() {
		return "process '" + this.process.name() + "' (pid " + this.process.pid() + ")";
	}

}
