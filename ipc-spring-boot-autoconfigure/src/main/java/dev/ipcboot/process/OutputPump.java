package dev.ipcboot.process;

import java.io.IOException;
import java.util.Arrays;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.ipcboot.natives.PipeReader;

/**
 * Reads one output pipe of a child, cuts it into lines and hands each line to the sink on
 * this same thread. Nothing is queued: while the sink works the pump does not read, the
 * pipe fills and the child blocks in {@code write}, so a flooding child is slowed down
 * instead of filling the heap. Memory per pump is one read buffer (and its native twin)
 * plus one line of at most {@link ProcessSpec#maxLineLength()} bytes; longer lines are
 * delivered in pieces.
 */
final class OutputPump implements Runnable {

	private static final Log logger = LogFactory.getLog(OutputPump.class);

	private static final int BUFFER_SIZE = 256 * 1024;

	private static final int POLL_MILLIS = 200;

	private final ChildProcess process;

	private final int fd;

	private final String stream;

	private final LineSink sink;

	private final int maxLineLength;

	private byte[] pending = new byte[0];

	private int pendingLength;

	private volatile boolean stopping;

	OutputPump(ChildProcess process, int fd, String stream, LineSink sink, int maxLineLength) {
		this.process = process;
		this.fd = fd;
		this.stream = stream;
		this.sink = sink;
		this.maxLineLength = maxLineLength;
	}

	/**
	 * Stop at the next quiet moment even if the pipe stays open, which happens when a
	 * descendant that escaped the process group still holds it.
	 */
	void stop() {
		this.stopping = true;
	}

	@Override
	public void run() {
		byte[] buffer = new byte[BUFFER_SIZE];
		try (PipeReader reader = new PipeReader(this.fd, BUFFER_SIZE)) {
			while (true) {
				int read = reader.read(buffer, POLL_MILLIS);
				if (read == 0) {
					break;
				}
				if (read < 0) {
					if (this.stopping) {
						break;
					}
					continue;
				}
				cut(buffer, read);
			}
			if (this.pendingLength > 0) {
				endLine();
			}
		}
		catch (IOException ex) {
			logger.warn("Reading " + this.stream + " of process '" + this.process.name() + "' (pid "
					+ this.process.pid() + ") failed; no more output is delivered from it", ex);
		}
	}

	private void cut(byte[] buffer, int length) {
		int start = 0;
		for (int i = 0; i < length; i++) {
			if (buffer[i] == '\n') {
				int lineLength = i - start;
				if (this.pendingLength == 0 && lineLength <= this.maxLineLength) {
					deliver(Arrays.copyOfRange(buffer, start, i));
				}
				else {
					append(buffer, start, lineLength);
					endLine();
				}
				start = i + 1;
			}
		}
		append(buffer, start, length - start);
	}

	private void append(byte[] bytes, int offset, int length) {
		int from = offset;
		int remaining = length;
		while (remaining > 0) {
			if (this.pendingLength == this.maxLineLength) {
				endLine();
			}
			if (this.pending.length == 0) {
				this.pending = new byte[this.maxLineLength];
			}
			int take = Math.min(remaining, this.maxLineLength - this.pendingLength);
			System.arraycopy(bytes, from, this.pending, this.pendingLength, take);
			this.pendingLength += take;
			from += take;
			remaining -= take;
		}
	}

	private void endLine() {
		deliver(Arrays.copyOf(this.pending, this.pendingLength));
		this.pendingLength = 0;
	}

	private void deliver(byte[] line) {
		try {
			this.sink.onLine(this.process, this.stream, line);
		}
		catch (RuntimeException ex) {
			logger.error("Output handler of process '" + this.process.name() + "' failed on a line of " + this.stream
					+ "; the pump goes on with the next line", ex);
		}
	}

}
