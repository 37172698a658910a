package dev.ipcboot.socket;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/**
 * One open socket of a client with its buffered streams. Used by one request at a time.
 */
final class ClientConnection {

	private final Socket socket;

	private final InputStream input;

	private final OutputStream output;

	private boolean reused;

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

}
