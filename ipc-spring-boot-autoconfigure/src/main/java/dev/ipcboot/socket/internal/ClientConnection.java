package dev.ipcboot.socket.internal;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

import javax.net.ssl.SSLSocket;

/**
 * One open socket of a client with its buffered streams. Used by one request at a time;
 * the {@link WriteWatchdog} may cut its write from another thread, and that is why
 * closing and cutting take the connection's lock (junixsocket acts on the descriptor's
 * number, which a closed socket may already have handed on).
 */
final class ClientConnection {

	private final Socket socket;

	private final InputStream input;

	private final OutputStream output;

	private boolean reused;

	/** {@link System#nanoTime()} by which the write in progress must end; 0 when none. */
	private volatile long writeDeadline;

	private volatile boolean writeCut;

	private boolean closed;

	ClientConnection(Socket socket) throws IOException {
		this.socket = socket;
		this.input = new ConnectionInputStream(socket.getInputStream(), 8192);
		this.output = new BufferedOutputStream(socket.getOutputStream());
	}

	Socket socket() {
		return this.socket;
	}

	InputStream input() {
		return this.input;
	}

	OutputStream output() {
		return this.output;
	}

	/**
	 * Whether an earlier request already used this connection (it may have gone stale).
	 */
	boolean isReused() {
		return this.reused;
	}

	/** Read and drop whatever input has arrived, without blocking. */
	void discardAvailableInput() throws IOException {
		if (this.socket.isClosed() || this.socket.isInputShutdown()) {
			return;
		}
		int available = this.input.available();
		while (available > 0) {
			this.input.skip(available);
			available = this.input.available();
		}
	}

	void markReused() {
		this.reused = true;
	}

	/**
	 * A write starts.
	 * @param deadline {@link System#nanoTime()} by which it must end
	 */
	void beginWrite(long deadline) {
		this.writeDeadline = (deadline != 0) ? deadline : 1;
	}

	void endWrite() {
		this.writeDeadline = 0;
	}

	/**
	 * Whether the watchdog cut a write (the server did not read in time); the output is
	 * shut down, so the connection must not be used again.
	 */
	boolean isWriteCut() {
		return this.writeCut;
	}

	/**
	 * Cut the write in progress if its deadline has passed, by shutting the output down:
	 * the blocked write then fails, and its thread closes the connection.
	 * @param now {@link System#nanoTime()}
	 * @return whether a write is in progress
	 */
	boolean cutWriteIfLate(long now) {
		long deadline = this.writeDeadline;
		if (deadline == 0) {
			return false;
		}
		if (now - deadline >= 0) {
			synchronized (this) {
				if (!this.closed && this.writeDeadline == deadline) {
					this.writeCut = true;
					cut();
				}
			}
		}
		return true;
	}

	private void cut() {
		try {
			if (this.socket instanceof SSLSocket) {
				// TLS half-closes by sending close_notify, which waits for the lock the
				// blocked write holds. With a zero linger, close() skips it and shuts the
				// JDK socket underneath, which is safe while another thread writes to it.
				this.socket.setSoLinger(true, 0);
				this.socket.close();
				this.closed = true;
			}
			else {
				this.socket.shutdownOutput();
			}
		}
		catch (IOException ex) {
			// the write has failed or ended by itself; its thread finds out
		}
	}

	/** Close the socket; the watchdog never touches it afterwards. */
	synchronized void close() throws IOException {
		this.closed = true;
		this.socket.close();
	}

}
