package dev.ipcboot.process;

import java.io.IOException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.ipcboot.process.SpawnedProcess.OutputSource;

/**
 * Reads one output pipe of a child, cuts it into messages of the process's
 * {@link OutputFraming} and hands each to the sink on this same thread. Nothing is
 * queued: while the sink works the pump does not read, the pipe fills and the child
 * blocks in {@code write}, so a flooding child is slowed down instead of filling the
 * heap. Memory per pump is one read buffer (and its native twin) plus one message of at
 * most {@link ProcessSpec#maxLineLength()} bytes; longer lines are delivered in pieces.
 */
final class OutputPump implements Runnable {

	private static final Log logger = LogFactory.getLog(OutputPump.class);

	static final int BUFFER_SIZE = 256 * 1024;

	private static final int POLL_MILLIS = 200;

	private final ChildProcess process;

	private final OutputSource source;

	private final String stream;

	private final LineSink sink;

	private final OutputFrames frames;

	private final boolean raw;

	private volatile boolean stopping;

	OutputPump(ChildProcess process, OutputSource source, String stream, LineSink sink, ProcessSpec spec) {
		this.process = process;
		this.source = source;
		this.stream = stream;
		this.sink = sink;
		this.raw = spec.framing() == OutputFraming.RAW;
		this.frames = OutputFrames.of(spec.framing(), spec.maxLineLength(),
				stream + " of process '" + spec.name() + "'", this::deliver);
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
		if (this.raw) {
			runRaw();
			return;
		}
		byte[] buffer = new byte[BUFFER_SIZE];
		try (OutputSource reader = this.source) {
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
				this.frames.cut(buffer, read);
			}
			this.frames.finish();
		}
		catch (IOException ex) {
			failed(ex);
		}
	}

	// Raw chunks go from the native buffer into the message's own array: one copy.
	private void runRaw() {
		try (OutputSource reader = this.source) {
			while (true) {
				byte[] chunk = reader.readChunk(POLL_MILLIS);
				if (chunk == null) {
					if (this.stopping) {
						break;
					}
				}
				else if (chunk.length == 0) {
					break;
				}
				else {
					deliver(chunk);
				}
			}
		}
		catch (IOException ex) {
			failed(ex);
		}
	}

	private void failed(IOException ex) {
		logger.warn("Reading " + this.stream + " of process '" + this.process.name() + "' (pid " + this.process.pid()
				+ ") failed; no more output is delivered from it", ex);
	}

	private void deliver(byte[] message) {
		try {
			this.sink.onLine(this.process, this.stream, message);
		}
		catch (RuntimeException ex) {
			logger.error("Output handler of process '" + this.process.name() + "' failed on a message of " + this.stream
					+ "; the pump goes on with the next one", ex);
		}
	}

}
