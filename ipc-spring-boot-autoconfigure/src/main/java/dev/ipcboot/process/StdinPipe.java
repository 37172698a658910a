package dev.ipcboot.process;

import java.io.IOException;
import java.io.UncheckedIOException;

import dev.ipcboot.natives.ChildProcesses;

/**
 * The write end of a child's standard input. Writes are serialised, so that a reply and
 * an application write never interleave within a line.
 */
final class StdinPipe {

	private final String processName;

	private int fd = -1;

	private long pid = -1;

	StdinPipe(String processName) {
		this.processName = processName;
	}

	synchronized void open(int fd, long pid) {
		this.fd = fd;
		this.pid = pid;
	}

	synchronized boolean isOpen() {
		return this.fd >= 0;
	}

	synchronized void write(byte[] bytes) {
		if (this.fd < 0) {
			throw new IllegalStateException("Standard input of process '" + this.processName + "' (pid " + this.pid
					+ ") is closed or the process never started; check state() before writing");
		}
		try {
			ChildProcesses.write(this.fd, bytes);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Writing to standard input of process '" + this.processName + "' (pid "
					+ this.pid + ") failed; it no longer reads it: " + ex.getMessage(), ex);
		}
	}

	synchronized void close() {
		ChildProcesses.close(this.fd);
		this.fd = -1;
	}

}
