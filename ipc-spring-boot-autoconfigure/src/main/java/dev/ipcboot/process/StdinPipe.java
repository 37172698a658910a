package dev.ipcboot.process;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.jspecify.annotations.Nullable;

/**
 * The write end of a child's standard input. Writes are serialised, so that a reply and
 * an application write never interleave within a line.
 */
final class StdinPipe {

	private final String processName;

	private @Nullable SpawnedProcess child;

	StdinPipe(String processName) {
		this.processName = processName;
	}

	synchronized void open(SpawnedProcess child) {
		this.child = child.hasStdin() ? child : null;
	}

	synchronized boolean isOpen() {
		return this.child != null;
	}

	synchronized void write(byte[] bytes) {
		SpawnedProcess target = this.child;
		if (target == null) {
			throw new IllegalStateException("Standard input of process '" + this.processName
					+ "' is closed, not a pipe, or the process never started; check state() and stdin before writing");
		}
		try {
			target.writeStdin(bytes);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Writing to standard input of process '" + this.processName + "' (pid "
					+ target.pid() + ") failed; it no longer reads it: " + ex.getMessage(), ex);
		}
	}

	synchronized void close() {
		if (this.child != null) {
			this.child.closeStdin();
			this.child = null;
		}
	}

}
